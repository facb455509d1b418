package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;

/**
 * resilience4j 2.x, by class name: the application's own guards refused the call before it left, so
 * each verdict is in {@link Phase#ADMISSION} (no upstream was contacted, nothing counts against its
 * health, and the retry rules treat the request as never sent).
 *
 * <ul>
 *   <li>{@code CallNotPermittedException}, an open (or forced-open) circuit breaker:
 *       {@code destination_unavailable} (RFC 9209 §2.3.4, the next hop is considered down after recent
 *       failures), 503;</li>
 *   <li>{@code BulkheadFullException}, a full bulkhead, and {@code RequestNotPermitted}, a rate limiter
 *       without permits: {@code connection_limit_reached} (RFC 9209 §2.3.12, a limit on the calls to the
 *       next hop), 503.</li>
 * </ul>
 */
final class Resilience4jRules {

    static final String CIRCUIT_OPEN = "the application's circuit breaker for the upstream is open";
    static final String BULKHEAD_FULL = "the application's bulkhead for the upstream is full";
    static final String RATE_LIMITED = "the application's rate limiter for the upstream has no permits";

    private Resilience4jRules() {
    }

    static void register(RuleTable.Builder rules) {
        rules.on("io.github.resilience4j.circuitbreaker.CallNotPermittedException", (t, observed) ->
                Recognition.exact(ErrorType.DESTINATION_UNAVAILABLE, Phase.ADMISSION, CIRCUIT_OPEN));
        rules.on("io.github.resilience4j.bulkhead.BulkheadFullException", (t, observed) ->
                Recognition.exact(ErrorType.CONNECTION_LIMIT_REACHED, Phase.ADMISSION, BULKHEAD_FULL));
        rules.on("io.github.resilience4j.ratelimiter.RequestNotPermitted", (t, observed) ->
                Recognition.exact(ErrorType.CONNECTION_LIMIT_REACHED, Phase.ADMISSION, RATE_LIMITED));
    }
}
