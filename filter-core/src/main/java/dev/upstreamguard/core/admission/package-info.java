/**
 * Admission control, decided before any upstream is tried: per-route concurrency limits that shed load
 * with a computed {@code Retry-After} ({@link dev.upstreamguard.core.admission.ConcurrencyLimiter}), and
 * per-client rate limits on token buckets with {@code Retry-After} and the IETF {@code RateLimit-Policy} /
 * {@code RateLimit} fields ({@link dev.upstreamguard.core.admission.RateLimiter}). Refusals become the
 * verdicts of {@link dev.upstreamguard.core.admission.AdmissionVerdicts} and
 * {@link dev.upstreamguard.core.AdmissionEvent}s. Everything here is thread-safe and non-blocking.
 *
 * <p>A packaging uses it per request roughly so:
 * <pre>{@code
 * rateLimiter.tryAcquire(rateLimiter.key(remoteAddress, request::getHeader)).thenAccept(decision -> {
 *     decision.headers().forEach(h -> response.setHeader(h.getKey(), h.getValue())); // every response
 *     if (!decision.allowed()) {
 *         write(guard.failureResponse(AdmissionVerdicts.rateLimited(), exchange, decision.retryAfter()));
 *         return;
 *     }
 *     ConcurrencyLimiter.Permit permit = concurrency.tryAcquire();
 *     if (permit == null) {
 *         write(guard.failureResponse(AdmissionVerdicts.concurrencyLimited(), exchange, concurrency.retryAfter()));
 *         return;
 *     }
 *     proxy(request).whenComplete((r, e) -> permit.close());
 * });
 * }</pre>
 */
package dev.upstreamguard.core.admission;
