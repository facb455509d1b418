package dev.upstreamguard.spring.boot;

import dev.upstreamguard.core.RequestIdSource;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import java.util.Objects;

/**
 * With Micrometer Tracing (OpenTelemetry or Brave bridge), the request id is the trace id of the span current
 * where the filter begins the request: the {@code request_id} of a problem body and of the failure log line is
 * the id to search the traces for.
 */
public final class TraceIdRequestIds implements RequestIdSource {
    private final Tracer tracer;

    /** Request ids from {@code tracer}'s current span. */
    public TraceIdRequestIds(Tracer tracer) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
    }

    @Override
    public String currentRequestId() {
        Span span = tracer.currentSpan();
        return span == null ? null : span.context().traceId();
    }
}
