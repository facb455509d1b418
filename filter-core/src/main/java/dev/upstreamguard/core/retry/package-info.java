/**
 * Safe retries of upstream attempts: the {@link dev.upstreamguard.core.retry.Retrier} decides
 * per failure or retryable status whether another attempt is safe and allowed, waits with
 * {@link dev.upstreamguard.core.retry.Backoff full-jitter backoff} or the upstream's
 * {@link dev.upstreamguard.core.retry.RetryAfter Retry-After}, and asks the
 * {@link dev.upstreamguard.core.retry.RetryBudget retry budget} last, so retries never amplify an outage.
 * Everything is framework-free and non-blocking; time and randomness are injected.
 */
package dev.upstreamguard.core.retry;
