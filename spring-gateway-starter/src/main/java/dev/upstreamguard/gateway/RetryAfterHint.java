package dev.upstreamguard.gateway;

import java.time.Duration;

/**
 * Knows, for some errors the global filter answers, how long the refusal behind them lasts: the answer's
 * {@code Retry-After} (a 503 or 429) then says that instead of the policy's {@code retry-after.default}.
 * The starter provides one for resilience4j's open circuits; declare beans of your own for other guards.
 */
@FunctionalInterface
public interface RetryAfterHint {

    /** The time until {@code error}'s cause lets requests through again, or {@code null} when unknown. */
    Duration retryAfter(Throwable error);
}
