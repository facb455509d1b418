package dev.upstreamguard.servlet;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RequestIds;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.lifecycle.CircuitBreaker;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The guard as a servlet-based proxy or application reaches it from inside the filter chain, e.g. from
 * Jetty's {@code ProxyServlet.onProxyResponseFailure} or a Spring MVC exception handler:
 * <pre>{@code
 * ServletUpstreamGuard guard = ServletUpstreamGuard.from(request);
 * if (guard != null && guard.respond(request, response, failure, Phase.UNKNOWN)) {
 *     // the verdict was written: complete the async context / return
 * }
 * }</pre>
 * {@link UpstreamGuardFilter} puts one in every request's attributes under {@link #ATTRIBUTE}.
 */
public final class ServletUpstreamGuard {
    /** The request attribute that holds the {@link ServletUpstreamGuard}. */
    public static final String ATTRIBUTE = ServletUpstreamGuard.class.getName();
    static final String REQUEST_ID_ATTRIBUTE = ServletUpstreamGuard.class.getName() + ".requestId";
    static final String START_ATTRIBUTE = ServletUpstreamGuard.class.getName() + ".start";
    /** What the request said about the upstreams, for the filter's circuit breaker (absent: the application answered). */
    static final String OUTCOME_ATTRIBUTE = ServletUpstreamGuard.class.getName() + ".outcome";

    private final UpstreamGuard guard;
    private final String routeId;

    ServletUpstreamGuard(UpstreamGuard guard, String routeId) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.routeId = Objects.requireNonNull(routeId, "routeId");
    }

    /** The guard the filter installed for {@code request}, or {@code null} when no filter ran. */
    public static ServletUpstreamGuard from(ServletRequest request) {
        Object value = request.getAttribute(ATTRIBUTE);
        return value instanceof ServletUpstreamGuard ? (ServletUpstreamGuard) value : null;
    }

    /** The core guard. */
    public UpstreamGuard guard() {
        return guard;
    }

    /**
     * Answers an upstream failure: classifies it (unknown throwables become {@code proxy_internal_error})
     * and, when nothing is committed, writes the verdict and returns {@code true}. When the response is
     * already committed it records the abort and returns {@code false}: the caller must then abort the
     * response (e.g. rethrow, or {@code AsyncContext} error) so the client sees truncation.
     */
    public boolean respond(HttpServletRequest request, HttpServletResponse response, Throwable failure, Phase observed)
            throws IOException {
        return respond(request, response, guard.classify(failure, observed));
    }

    /** Like {@link #respond(HttpServletRequest, HttpServletResponse, Throwable, Phase)} for a known verdict. */
    public boolean respond(HttpServletRequest request, HttpServletResponse response, UpstreamFailure failure)
            throws IOException {
        Exchange exchange = exchange(request);
        request.setAttribute(OUTCOME_ATTRIBUTE, CircuitBreaker.Outcome.of(failure));
        if (response.isCommitted()) {
            guard.aborted(failure, exchange, response.getStatus());
            return false;
        }
        // the application's client made the attempt: the guard never makes another
        ErrorResponse error = guard.applicationCallFailureResponse(failure, exchange);
        ServletResponses.write(response, error);
        return true;
    }

    /**
     * The {@code Proxy-Status} value to send when relaying an upstream response with status
     * {@code receivedStatus}: the received field lines and our member with {@code received-status}
     * (RFC 9209 §2.1.2). An upstream 5xx is counted as {@code origin=upstream}.
     */
    public String passThrough(HttpServletRequest request, int receivedStatus, List<String> receivedProxyStatus) {
        request.setAttribute(OUTCOME_ATTRIBUTE,
                CircuitBreaker.Outcome.ofStatus(receivedStatus, guard.policy().health().countUpstream5xx()));
        return guard.passThrough(receivedStatus, exchange(request).withReceivedProxyStatus(receivedProxyStatus));
    }

    /** The exchange as the core sees it: route, client address, Accept, request id, start time. */
    Exchange exchange(HttpServletRequest request) {
        return Exchange.of(routeId, request.getRemoteAddr(), request.getHeader("Accept"), requestId(request),
                start(request));
    }

    String requestId(HttpServletRequest request) {
        Object id = request.getAttribute(REQUEST_ID_ATTRIBUTE);
        if (id instanceof String) {
            return (String) id;
        }
        String sourced = guard.sourcedRequestId(); // e.g. the trace id of the request's server observation
        String resolved = sourced != null ? sourced : RequestIds.resolve(request.getHeader(guard.policy().requestIdHeader()));
        request.setAttribute(REQUEST_ID_ATTRIBUTE, resolved);
        return resolved;
    }

    private long start(HttpServletRequest request) {
        Object start = request.getAttribute(START_ATTRIBUTE);
        return start instanceof Long ? (Long) start : guard.nanoTime();
    }
}
