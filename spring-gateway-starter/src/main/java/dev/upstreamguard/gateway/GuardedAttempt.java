package dev.upstreamguard.gateway;

import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamGuard;
import org.springframework.web.server.ServerWebExchange;

import dev.upstreamguard.core.admission.RouteAdmission;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * What the starter knows about one proxied exchange while it runs: which guard and response timeout
 * apply (the route's overrides, else the global ones), how far the upstream attempt got, and when the
 * exchange started. Kept in the exchange's attributes and in the Reactor context, so Reactor Netty's
 * client callbacks (which see only the context) can move the phase along.
 */
final class GuardedAttempt {
    /** The exchange attribute and Reactor context key. */
    static final String KEY = GuardedAttempt.class.getName();

    private final long startNanos;
    private volatile UpstreamGuard guard;
    private volatile Duration responseTimeout;
    private volatile Phase phase = Phase.UNKNOWN;
    private volatile boolean routing;
    private volatile RouteAdmission.Ticket ticket;
    private volatile int attemptNumber = 1;
    private volatile int maxAttempts = 1;
    private final Set<String> triedUpstreams = new CopyOnWriteArraySet<>();
    private volatile Consumer<UpstreamFailure> upstreamFailed = failure -> { };

    GuardedAttempt(UpstreamGuard guard, long startNanos) {
        this.guard = guard;
        this.startNanos = startNanos;
    }

    /** The attempt of {@code exchange}, or {@code null} when the guard's global filter did not run. */
    static GuardedAttempt of(ServerWebExchange exchange) {
        return exchange.getAttribute(KEY);
    }

    UpstreamGuard guard() {
        return guard;
    }

    /** The route's own response timeout (set by the route filter), or {@code null}. */
    Duration routeResponseTimeout() {
        return responseTimeout;
    }

    /** A route's own guard and response timeout ({@code null} keeps the current one). */
    void override(UpstreamGuard routeGuard, Duration routeTimeout) {
        if (routeGuard != null) {
            this.guard = routeGuard;
        }
        if (routeTimeout != null) {
            this.responseTimeout = routeTimeout;
        }
    }

    long startNanos() {
        return startNanos;
    }

    Phase phase() {
        return phase;
    }

    /** Moves the attempt forward to {@code next}; never back (callbacks of one attempt may race). */
    void advance(Phase next) {
        Phase current = phase;
        if (current == Phase.UNKNOWN || next.ordinal() > current.ordinal()) {
            this.phase = next;
        }
    }

    /** Whether the gateway's routing filter was reached (an upstream attempt began). */
    boolean routing() {
        return routing;
    }

    /** The route's admission let the request in or refused it; the ticket is kept until the exchange ends. */
    void admitted(RouteAdmission.Ticket newTicket) {
        this.ticket = newTicket;
    }

    /** The computed {@code Retry-After} of an admission refusal, or {@code null} (the policy's default). */
    Duration retryAfter() {
        RouteAdmission.Ticket t = ticket;
        return t == null || t.admitted() ? null : t.retryAfter();
    }

    /** {@code RateLimit-Policy} / {@code RateLimit} fields every response of a rate-limited route carries. */
    List<Map.Entry<String, String>> admissionHeaders() {
        RouteAdmission.Ticket t = ticket;
        return t == null ? List.of() : t.headers();
    }

    /** Frees the admission's concurrency slot: the exchange is over. Idempotent. */
    void release() {
        RouteAdmission.Ticket t = ticket;
        if (t != null) {
            t.close();
        }
    }

    /** Upstream attempt {@code number} of {@code max} begins: connecting (name resolution and pool acquisition included). */
    void startAttempt(int number, int max) {
        this.attemptNumber = number;
        this.maxAttempts = Math.max(number, max);
        this.routing = true;
        this.phase = Phase.CONNECT;
    }

    /** The 1-based number of the current upstream attempt. */
    int attemptNumber() {
        return attemptNumber;
    }

    /** Attempts this request may make. */
    int maxAttempts() {
        return maxAttempts;
    }

    /** Ids of the load-balanced instances this request tried, so a retry goes elsewhere when it can. */
    Set<String> triedUpstreams() {
        return triedUpstreams;
    }

    /** Where a failure of the current attempt's upstream after the head (mid-body) is reported. */
    void onUpstreamFailure(Consumer<UpstreamFailure> sink) {
        this.upstreamFailed = sink;
    }

    /** The current attempt's upstream failed after its head was accepted (the body broke off). */
    void upstreamFailed(UpstreamFailure failure) {
        upstreamFailed.accept(failure);
    }
}
