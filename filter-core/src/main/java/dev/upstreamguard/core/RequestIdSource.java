package dev.upstreamguard.core;

/**
 * Where the id of the request being handled comes from when something outside the guard already names it —
 * typically the current trace id, so that the {@code request_id} of a problem body and of the failure log line
 * is the id to search the traces for. The core has no tracing dependency: a packaging with tracing implements
 * this (the Spring starters do, with Micrometer Tracing's current span).
 *
 * <p>The guard asks once per request, on the thread that begins handling it, before admission. An
 * implementation must be fast and must not throw; an id that is not safe to echo (see {@link RequestIds}) is
 * ignored. {@code null} means none: the client's own request id when it sent a safe one, else a generated id.
 */
@FunctionalInterface
public interface RequestIdSource {
    /** No source: request ids come from the client's header or are generated. */
    RequestIdSource NONE = () -> null;

    /** The id of the request being handled on the calling thread, e.g. the current trace id; {@code null} when none. */
    String currentRequestId();
}
