package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;

import java.util.Map;

/**
 * The verdicts for requests refused before any upstream was tried ({@link Phase#ADMISSION}), to pass to
 * {@code UpstreamGuard.failureResponse(failure, exchange, retryAfter)} with the computed
 * {@code Retry-After} (RFC 9110 §10.2.3). They carry no cause and only our own {@code details}, shown
 * only where the exposure policy allows.
 */
public final class AdmissionVerdicts {
    /** The status of a rate-limited request: 429 Too Many Requests (RFC 6585 §4). */
    public static final int RATE_LIMITED_STATUS = 429;

    private static final UpstreamFailure RATE_LIMITED = new UpstreamFailure(ErrorType.HTTP_REQUEST_ERROR,
            Phase.ADMISSION, Map.of("status-code", RATE_LIMITED_STATUS), "client rate limit reached", null);
    private static final UpstreamFailure CONCURRENCY_LIMITED = new UpstreamFailure(ErrorType.CONNECTION_LIMIT_REACHED,
            Phase.ADMISSION, Map.of(), "route concurrency limit reached", null);
    private static final UpstreamFailure NO_HEALTHY_UPSTREAM = new UpstreamFailure(ErrorType.DESTINATION_UNAVAILABLE,
            Phase.ADMISSION, Map.of(), "every upstream of the route is ejected", null);

    private static final UpstreamFailure CIRCUIT_OPEN = new UpstreamFailure(ErrorType.DESTINATION_UNAVAILABLE,
            Phase.ADMISSION, Map.of(), "the route's circuit breaker is open after failed requests in a row", null);
    private static final UpstreamFailure CIRCUIT_PROBING = new UpstreamFailure(ErrorType.DESTINATION_UNAVAILABLE,
            Phase.ADMISSION, Map.of(), "the route's circuit breaker is half-open and its probe requests are under way",
            null);

    private AdmissionVerdicts() {
    }

    /**
     * A client over its rate limit: {@code http_request_error} with {@code status-code=429} (RFC 9209
     * §2.3.16), so the response is 429 with
     * {@code Proxy-Status: upstream-guard;error=http_request_error;status-code=429}.
     */
    public static UpstreamFailure rateLimited() {
        return RATE_LIMITED;
    }

    /** A route at its concurrency limit: {@code connection_limit_reached} (RFC 9209 §2.3.12), 503 by default. */
    public static UpstreamFailure concurrencyLimited() {
        return CONCURRENCY_LIMITED;
    }

    /** Every upstream of the route ejected: {@code destination_unavailable} (RFC 9209 §2.3.4), 503 by default. */
    public static UpstreamFailure noHealthyUpstream() {
        return NO_HEALTHY_UPSTREAM;
    }

    /**
     * The route's circuit breaker is open, or half-open with every probe under way: {@code destination_unavailable}
     * (RFC 9209 §2.3.4), 503 by default.
     *
     * @param probing true while half-open (probes under way), false while open
     */
    public static UpstreamFailure circuitOpen(boolean probing) {
        return probing ? CIRCUIT_PROBING : CIRCUIT_OPEN;
    }
}
