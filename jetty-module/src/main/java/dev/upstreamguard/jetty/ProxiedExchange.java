package dev.upstreamguard.jetty;

import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.RequestIds;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.health.Upstream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the handler tracks for one proxied request across its attempts: the route and its resilience
 * parts, the request body as attempts see it, the {@code RateLimit} fields for every response, the
 * upstreams tried so far and the current attempt. The core's {@link Exchange} (and the request id in it) is
 * built only when something needs it (a failure, a passed-through 5xx): the success path builds neither.
 * Attempts run one after the other (the next is started from the end of the previous), so the list of
 * tried upstreams needs no lock; the fields are volatile because attempts end on other threads.
 */
final class ProxiedExchange {
    private final Route route;
    private final RouteResilience resilience;
    private final Request request;
    private final String suppliedRequestId;
    private final long startNanos;
    private final List<String> tried = new ArrayList<>(2);
    private Exchange initial;
    private volatile RequestBody body;
    private volatile List<Map.Entry<String, String>> responseFields = List.of();
    private volatile UpstreamAttempt current;
    private volatile UpstreamFailure lastFailure;

    /**
     * @param request           the client's request (its address and {@code Accept} are read when the exchange is built)
     * @param suppliedRequestId the request id field the client sent, or {@code null}
     * @param startNanos        when the request started, on the retrier's clock
     */
    ProxiedExchange(Route route, RouteResilience resilience, Request request, String suppliedRequestId, long startNanos) {
        this.route = route;
        this.resilience = resilience;
        this.request = request;
        this.suppliedRequestId = suppliedRequestId;
        this.startNanos = startNanos;
    }

    Route route() {
        return route;
    }

    RouteResilience resilience() {
        return resilience;
    }

    long startNanos() {
        return startNanos;
    }

    /** The exchange of the current attempt, or the initial one before the first. */
    Exchange exchange() {
        UpstreamAttempt attempt = current;
        return attempt == null ? initial() : attempt.exchange();
    }

    /** The exchange before any upstream was chosen (attempt 1/1), built once, on first use. */
    synchronized Exchange initial() {
        if (initial == null) {
            initial = new Exchange(route.id(), null, null, Request.getRemoteAddr(request),
                    request.getHeaders().get(HttpHeader.ACCEPT), RequestIds.resolve(suppliedRequestId), List.of(),
                    1, 1, startNanos);
        }
        return initial;
    }

    RequestBody body() {
        return body;
    }

    void body(RequestBody requestBody) {
        body = requestBody;
    }

    /** Fields for every response of this request, e.g. {@code RateLimit-Policy} and {@code RateLimit}. */
    List<Map.Entry<String, String>> responseFields() {
        return responseFields;
    }

    void responseFields(List<Map.Entry<String, String>> fields) {
        responseFields = fields;
    }

    /** Ids of the upstreams tried so far. */
    List<String> tried() {
        return tried;
    }

    UpstreamAttempt current() {
        return current;
    }

    /** Starts the next attempt on {@code upstream}; {@code nextHop} is what {@code next-hop} may name. */
    UpstreamAttempt beginAttempt(Upstream upstream, String nextHop, int maxAttempts) {
        int number = current == null ? 1 : current.number() + 1;
        tried.add(upstream.id());
        UpstreamAttempt attempt = new UpstreamAttempt(this, number, Math.max(number, maxAttempts), upstream, nextHop);
        current = attempt;
        lastFailure = null;
        return attempt;
    }

    /** The verdict of the current attempt when it failed, or {@code null}. */
    UpstreamFailure lastFailure() {
        return lastFailure;
    }

    void lastFailure(UpstreamFailure failure) {
        lastFailure = failure;
    }
}
