package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.policy.GuardPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Admission for one route, as every packaging needs it: the client's rate limit first (so an abusive
 * client never takes a concurrency slot), then the route's concurrency limit. Both come from the
 * {@link GuardPolicy}; either may be off. Non-blocking.
 * <pre>{@code
 * admission.admit(remoteAddress, request::getHeader).thenAccept(ticket -> {
 *     ticket.headers().forEach(h -> response.setHeader(h.getKey(), h.getValue()));
 *     if (!ticket.admitted()) {
 *         write(guard.failureResponse(ticket.refusal(), exchange, ticket.retryAfter()));
 *         return;
 *     }
 *     proxy(request).whenComplete((r, e) -> ticket.close());   // releases the concurrency slot
 * });
 * }</pre>
 */
public final class RouteAdmission {
    private static final Ticket OPEN = new Ticket(true, null, Duration.ZERO, List.of(), null);

    private final RateLimiter rateLimiter;
    private final ConcurrencyLimiter concurrency;

    /**
     * @param routeId   the route's configured id
     * @param policy    where the rate-limit and concurrency policies come from
     * @param backend   where rate-limit buckets live (used only when the rate limit is enabled)
     * @param nanoClock the clock for the concurrency limiter's hold times
     * @param listener  receives {@code AdmissionEvent}s
     */
    public RouteAdmission(String routeId, GuardPolicy policy, BucketBackend backend, LongSupplier nanoClock,
                          GuardListener listener) {
        Objects.requireNonNull(routeId, "routeId");
        this.rateLimiter = policy.rateLimit().enabled()
                ? new RateLimiter(routeId, policy.rateLimit(), Objects.requireNonNull(backend, "backend"), listener)
                : null;
        this.concurrency = policy.concurrency().maxConcurrent() > 0
                ? new ConcurrencyLimiter(routeId, policy.concurrency(), nanoClock, listener)
                : null;
    }

    /** Whether this route limits anything at all. */
    public boolean limits() {
        return rateLimiter != null || concurrency != null;
    }

    /** Concurrency slots held now (0 without a concurrency limit). */
    public int permitsInUse() {
        return concurrency == null ? 0 : concurrency.inFlight();
    }

    /** The concurrency limit; 0 for none. */
    public int concurrencyLimit() {
        return concurrency == null ? 0 : concurrency.limit();
    }

    /** Decides whether a request from {@code remoteAddress} may go on. */
    public CompletionStage<Ticket> admit(String remoteAddress, Function<String, String> headerLookup) {
        if (rateLimiter == null) {
            return CompletableFuture.completedFuture(concurrencyTicket(List.of()));
        }
        return rateLimiter.tryAcquire(remoteAddress, headerLookup).thenApply(decision -> {
            if (!decision.allowed()) {
                return new Ticket(false, AdmissionVerdicts.rateLimited(), decision.retryAfter(), decision.headers(), null);
            }
            return concurrencyTicket(decision.headers());
        });
    }

    private Ticket concurrencyTicket(List<Map.Entry<String, String>> headers) {
        if (concurrency == null) {
            return headers.isEmpty() ? OPEN : new Ticket(true, null, Duration.ZERO, headers, null);
        }
        ConcurrencyLimiter.Permit permit = concurrency.tryAcquire();
        if (permit == null) {
            return new Ticket(false, AdmissionVerdicts.concurrencyLimited(), concurrency.retryAfter(), headers, null);
        }
        return new Ticket(true, null, Duration.ZERO, headers, permit);
    }

    /**
     * The outcome of {@link #admit}: admitted (close it when the exchange ends, to free the concurrency slot),
     * or refused with the verdict and its {@code Retry-After}. {@link #headers()} go on the response either way.
     */
    public static final class Ticket implements AutoCloseable {
        private final boolean admitted;
        private final UpstreamFailure refusal;
        private final Duration retryAfter;
        private final List<Map.Entry<String, String>> headers;
        private final ConcurrencyLimiter.Permit permit;

        Ticket(boolean admitted, UpstreamFailure refusal, Duration retryAfter, List<Map.Entry<String, String>> headers,
               ConcurrencyLimiter.Permit permit) {
            this.admitted = admitted;
            this.refusal = refusal;
            this.retryAfter = retryAfter;
            this.headers = headers;
            this.permit = permit;
        }

        /** Whether the request may go on. */
        public boolean admitted() {
            return admitted;
        }

        /** The verdict for a refused request ({@code http_request_error} 429 or {@code connection_limit_reached}). */
        public UpstreamFailure refusal() {
            return refusal;
        }

        /** The computed {@code Retry-After} of a refusal; {@link Duration#ZERO} when admitted. */
        public Duration retryAfter() {
            return retryAfter;
        }

        /** {@code RateLimit-Policy} / {@code RateLimit} fields for the response (empty without a rate limit). */
        public List<Map.Entry<String, String>> headers() {
            return headers;
        }

        /** Frees the concurrency slot; idempotent. */
        @Override
        public void close() {
            if (permit != null) {
                permit.close();
            }
        }
    }
}
