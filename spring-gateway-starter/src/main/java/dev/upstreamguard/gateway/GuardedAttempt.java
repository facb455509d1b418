package dev.upstreamguard.gateway;

import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import org.springframework.web.server.ServerWebExchange;

import java.time.Duration;

/**
 * What the starter knows about one proxied exchange while it runs: which guard and response timeout apply
 * (the route's overrides, else the global ones), when it started, and — once the head filter began the
 * upstream attempts — the core's {@link GuardedExchange} that decides them. Kept in the exchange's
 * attributes and in the Reactor context, so Reactor Netty's client callbacks (which see only the context)
 * can report what they observe.
 */
final class GuardedAttempt {
    /** The exchange attribute and Reactor context key. */
    static final String KEY = GuardedAttempt.class.getName();

    private final long startNanos;
    private volatile UpstreamGuard guard;
    private volatile Duration responseTimeout;
    private volatile Phase phase = Phase.UNKNOWN;
    private volatile GuardedExchange exchange;

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

    /** The core's exchange deciding the upstream attempts, or {@code null} before they began (or on no route). */
    GuardedExchange exchange() {
        return exchange;
    }

    void exchange(GuardedExchange guarded) {
        this.exchange = guarded;
    }

    /** How far the current attempt got: the core exchange's phase once there is one. */
    Phase phase() {
        GuardedExchange current = exchange;
        return current != null ? current.phase() : phase;
    }

    /**
     * What Reactor Netty's client observed for the current attempt: the request is being written
     * ({@code SEND_REQUEST}), was written ({@code AWAIT_RESPONSE}), response bytes arrived ({@code READ_HEAD}),
     * the head was parsed ({@code READ_BODY}). Reported to the core's exchange; never moves back.
     */
    void advance(Phase next) {
        GuardedExchange current = exchange;
        if (current == null) {
            if (phase == Phase.UNKNOWN || next.ordinal() > phase.ordinal()) {
                phase = next;
            }
            return;
        }
        switch (next) {
            case SEND_REQUEST -> current.requestSending();
            case AWAIT_RESPONSE -> current.requestSent();
            case READ_HEAD -> current.responseBegun();
            default -> current.advance(next);
        }
    }

    /** Frees the admission's concurrency slot: the exchange is over. Idempotent. */
    void release() {
        GuardedExchange current = exchange;
        if (current != null) {
            current.complete();
        }
    }
}
