package dev.upstreamguard.gateway;

import dev.upstreamguard.core.RequestIdSource;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.springframework.web.server.ServerWebExchange;

import java.util.Objects;

/**
 * With Micrometer Tracing (OpenTelemetry or Brave bridge), the request id is the trace id: the {@code request_id}
 * of a problem body and of the failure log line is the id to search the traces for. On the reactive gateway the
 * span is found through the request's server observation (its tracing context), since no span need be current
 * on the event loop thread; else the tracer's current span.
 */
final class TraceIdRequestIds implements RequestIdSource {
    private final Tracer tracer;

    TraceIdRequestIds(Tracer tracer) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
    }

    @Override
    public String currentRequestId() {
        ServerWebExchange exchange = GatewayObservations.current();
        Object server = exchange == null ? null : exchange.getAttributes().get(GatewayObservations.SERVER_ATTR);
        if (server instanceof Observation observation) {
            TracingObservationHandler.TracingContext tracing =
                    observation.getContextView().get(TracingObservationHandler.TracingContext.class);
            Span span = tracing == null ? null : tracing.getSpan();
            if (span != null) {
                return span.context().traceId();
            }
        }
        Span current = tracer.currentSpan();
        return current == null ? null : current.context().traceId();
    }
}
