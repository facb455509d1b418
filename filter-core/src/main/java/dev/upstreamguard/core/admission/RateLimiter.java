package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.policy.RateLimitPolicy;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Per-client rate limits on one route: each client (see {@link #key}) has a token bucket of the
 * policy's {@link RateLimitPolicy#shape() shape} in a {@link BucketBackend} — this JVM's memory or a
 * shared store — and each request takes one token.
 *
 * <p>Non-blocking: {@link #tryAcquire} returns the backend's stage (already complete for the in-memory
 * backend). Give it a backend wrapped so that failures become the configured
 * {@link dev.upstreamguard.core.BackendFailureMode} (the fail-safe backend): this class answers per
 * the {@link Consumption} it gets and marks decisions not made by the backend
 * ({@link RateLimitDecision#fromBackend()}); a stage that completes exceptionally is passed on as is.
 *
 * <p>A packaging adds {@link RateLimitDecision#headers()} to <em>every</em> response of a rate-limited
 * route, allowed or refused, so clients can pace themselves before they are refused; a refused request
 * is answered with {@link AdmissionVerdicts#rateLimited()} and {@link RateLimitDecision#retryAfter()}.
 *
 * <p>Buckets are per route: the backend key is the route id and the client key, so two routes with
 * same-named policies never share a budget. They are taken through
 * {@link BucketBackend#tryConsumeClient}, with the route as the scope: a backend that bounds its memory
 * may drop a client's bucket once it is full again, and may make new clients of the route share one
 * overflow bucket while every bucket it holds is still refilling.
 */
public final class RateLimiter {
    private static final CompletionStage<RateLimitDecision> NOT_LIMITED =
            CompletableFuture.completedFuture(RateLimitDecision.notLimited());

    private final String routeId;
    private final RateLimitPolicy policy;
    private final BucketShape shape;
    private final BucketBackend backend;
    private final GuardListener listener;

    /** A limiter that reports refusals to no listener. */
    public RateLimiter(String routeId, RateLimitPolicy policy, BucketBackend backend) {
        this(routeId, policy, backend, GuardListeners.none());
    }

    /**
     * A limiter for {@code routeId}.
     *
     * @param routeId  the route's configured id (part of bucket keys, and in events)
     * @param policy   the limit; a disabled policy allows everything without touching the backend
     * @param backend  where buckets live
     * @param listener told of every refusal ({@link AdmissionEvent.Kind#RATE_LIMITED})
     */
    public RateLimiter(String routeId, RateLimitPolicy policy, BucketBackend backend, GuardListener listener) {
        this.routeId = Objects.requireNonNull(routeId, "routeId");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.shape = policy.shape();
        this.backend = Objects.requireNonNull(backend, "backend");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The policy. */
    public RateLimitPolicy policy() {
        return policy;
    }

    /**
     * The client key for a request: {@code addr:} and the client address, or — when the policy keys by a
     * header — {@code hdr:} and that header's trimmed value; a request without the header (or with a blank
     * one) falls back to its address, and an unknown address is {@code addr:unknown} (one shared bucket).
     * An IPv6 address stands for its network of {@link RateLimitPolicy#ipv6PrefixLength()} bits (a /64 by
     * default), an IPv4-mapped IPv6 address for its IPv4 address. Values over 128 characters are replaced by their SHA-256, so no client can make keys of any size.
     *
     * @param remoteAddress the client's address as the packaging trusts it, or {@code null}
     * @param headerLookup  the request's first value of a header by name, or {@code null} when absent
     */
    public String key(String remoteAddress, Function<String, String> headerLookup) {
        return ClientKeys.of(policy, remoteAddress, headerLookup);
    }

    /**
     * Takes one token from the bucket of {@code clientKey} (from {@link #key}). A refusal is reported to
     * the listener before the stage completes. A disabled policy answers
     * {@link RateLimitDecision#notLimited()} at once.
     */
    public CompletionStage<RateLimitDecision> tryAcquire(String clientKey) {
        Objects.requireNonNull(clientKey, "clientKey");
        if (!policy.enabled()) {
            return NOT_LIMITED;
        }
        return backend.tryConsumeClient(routeId, routeId + '|' + clientKey, shape, 1).thenApply(this::decide);
    }

    /**
     * {@code tryAcquire(key(remoteAddress, headerLookup))}, building the route-qualified bucket key as one
     * string instead of the client key and then the bucket key.
     */
    CompletionStage<RateLimitDecision> tryAcquire(String remoteAddress, Function<String, String> headerLookup) {
        if (!policy.enabled()) {
            return NOT_LIMITED;
        }
        return backend.tryConsumeClient(routeId, ClientKeys.routeQualified(routeId, policy, remoteAddress, headerLookup),
                shape, 1).thenApply(this::decide);
    }

    private RateLimitDecision decide(Consumption consumption) {
        if (consumption.consumed()) {
            long remaining = consumption.remainingTokens();
            return new RateLimitDecision(true, policy.limit(), remaining, secondsUntilFull(remaining), Duration.ZERO,
                    consumption.fromBackend(), policy.name(), policy.windowSeconds());
        }
        long retryAfterSeconds = RetryAfterSeconds.ofNanos(consumption.nanosToWaitForRefill());
        listener.onAdmissionRejected(new AdmissionEvent(routeId, AdmissionEvent.Kind.RATE_LIMITED,
                AdmissionVerdicts.RATE_LIMITED_STATUS, retryAfterSeconds));
        return new RateLimitDecision(false, policy.limit(), consumption.remainingTokens(), retryAfterSeconds,
                Duration.ofSeconds(retryAfterSeconds), consumption.fromBackend(), policy.name(), policy.windowSeconds());
    }

    /** Whole seconds until a bucket holding {@code remaining} tokens refills to its burst (greedy refill). */
    private long secondsUntilFull(long remaining) {
        long missing = policy.burst() - remaining;
        if (missing <= 0) {
            return 0;
        }
        // missing <= 1e9 and the window <= 86 400 s: the product fits in a long
        long tokenSeconds = missing * policy.windowSeconds();
        return tokenSeconds / policy.limit() + (tokenSeconds % policy.limit() == 0 ? 0 : 1);
    }
}
