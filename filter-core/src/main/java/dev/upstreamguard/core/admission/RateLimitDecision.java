package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.StructuredFields;
import dev.upstreamguard.core.policy.RateLimitPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one rate-limit check ({@link RateLimiter#tryAcquire(String)}) and what to tell the
 * client about it.
 *
 * @param allowed       whether the request may proceed; if not, answer 429
 *                      ({@link AdmissionVerdicts#rateLimited()}) with {@code retryAfter}
 * @param limit         the policy's quota: requests per window ({@link RateLimitPolicy#limit()})
 * @param remaining     requests the client has left now (the draft's {@code r}); 0 when refused
 * @param resetSeconds  the draft's effective window {@code t}: when allowed, whole seconds until the client's
 *                      bucket is full again; when refused, the same as {@code retryAfter}
 * @param retryAfter    when refused, the time until a token is back, rounded up to whole seconds (at least
 *                      1 s), for {@code Retry-After} (RFC 9110 §10.2.3); {@link Duration#ZERO} when allowed
 * @param fromBackend   false when the shared backend failed and its configured failure mode decided
 *                      (fail open or closed; {@code remaining} and {@code resetSeconds} then only reflect
 *                      that mode's answer)
 * @param policyName    the policy's name, or {@code null} when no rate limit applies (then no header is sent)
 * @param windowSeconds the policy's window in seconds (the draft's {@code w})
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, long resetSeconds, Duration retryAfter,
                                boolean fromBackend, String policyName, long windowSeconds) {
    /** The {@code RateLimit-Policy} field name (draft-ietf-httpapi-ratelimit-headers-11 §3). */
    public static final String RATELIMIT_POLICY = "RateLimit-Policy";
    /** The {@code RateLimit} field name (draft-ietf-httpapi-ratelimit-headers-11 §4). */
    public static final String RATELIMIT = "RateLimit";

    private static final RateLimitDecision NOT_LIMITED = new RateLimitDecision(true, 0, 0, 0, Duration.ZERO, true, null, 0);

    /** Checks the invariants. */
    public RateLimitDecision {
        if (remaining < 0 || resetSeconds < 0 || windowSeconds < 0) {
            throw new IllegalArgumentException("remaining, resetSeconds and windowSeconds must be >= 0, were "
                    + remaining + ", " + resetSeconds + ", " + windowSeconds);
        }
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** The decision on a route without a rate limit: allowed, and no header fields. */
    public static RateLimitDecision notLimited() {
        return NOT_LIMITED;
    }

    /** Whether a rate limit applied (false only for {@link #notLimited()}). */
    public boolean limited() {
        return policyName != null;
    }

    /**
     * The header fields to add to the response, whether the request was allowed or refused (the draft
     * §6 lets servers send them with any status, throttled responses included), in the structured-field
     * form of draft-ietf-httpapi-ratelimit-headers-11:
     * <pre>
     * RateLimit-Policy: "default";q=100;w=1     (§3: the policy's quota q per window w seconds)
     * RateLimit: "default";r=57;t=1             (§4: r requests left; t seconds to the effective window's end)
     * </pre>
     * The policy name is an sf-string (§3: the item MUST be a String). {@code r} can exceed {@code q} when
     * the policy's burst is larger than its limit. On a refusal {@code t} equals {@code Retry-After}, which
     * §6 asks not to point earlier than the end of the effective window. Empty when no rate limit applies.
     */
    public List<Map.Entry<String, String>> headers() {
        if (policyName == null) {
            return List.of();
        }
        return List.of(Map.entry(RATELIMIT_POLICY, policyField()), Map.entry(RATELIMIT, limitField()));
    }

    private String policyField() {
        return '"' + policyName + "\";q=" + sfInteger(limit) + ";w=" + sfInteger(windowSeconds);
    }

    private String limitField() {
        return '"' + policyName + "\";r=" + sfInteger(remaining) + ";t=" + sfInteger(resetSeconds);
    }

    /** RFC 8941 §3.3.1 integers have at most 15 digits. */
    private static long sfInteger(long value) {
        return Math.min(value, StructuredFields.MAX_INTEGER);
    }
}
