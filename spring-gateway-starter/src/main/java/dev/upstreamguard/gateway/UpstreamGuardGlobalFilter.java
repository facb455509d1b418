package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.Selection;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;

/**
 * The outer half of the starter: it wraps the whole filter chain of a routed request and writes the
 * answer of every upstream failure that reaches it.
 * <ul>
 *   <li>The core's answer from the attempt loop ({@link AnsweredException}): written in place of the
 *       upstream's response — status, {@code Proxy-Status}, problem details, {@code Retry-After}, the rate
 *       limit's fields — keeping the headers the gateway's own filters set for the client (CORS and the like).</li>
 *   <li>A failure after the head was relayed: when nothing is committed yet, answered without a retry;
 *       once committed (the body was being relayed), logged and counted, and the connection closed so
 *       the client sees a truncated body, never a complete-looking one.</li>
 *   <li>Any error once the client's connection is closed (the write to it failed): the client went away, which
 *       is not the upstream's failure — nothing is reported, counted against the upstream or written.</li>
 *   <li>Errors that are not upstream failures and were raised before the upstream attempts (a filter's
 *       deliberate {@code ResponseStatusException}, e.g. 413 or 429) pass untouched; an unknown error
 *       during the attempts is {@code proxy_internal_error}.</li>
 *   <li>A call refused before any attempt by the application's own guard (resilience4j's open circuit of
 *       the gateway's {@code CircuitBreaker} filter): the core's verdict, with the {@code Retry-After} a
 *       {@link RetryAfterHint} knows (the time the circuit stays open).</li>
 *   <li>A load-balanced route whose instances are all out (passive health with a panic threshold of 0):
 *       503 {@code destination_unavailable} with {@code Retry-After} until the first returns.</li>
 * </ul>
 * Ordered just after the highest precedence, so it is outside the gateway's own filters (and a route's
 * {@code Retry} filter) and sees the final outcome.
 */
public class UpstreamGuardGlobalFilter implements GlobalFilter, Ordered {
    /** Outside every gateway filter but the very first ones. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamGuardGlobalFilter.class);

    private final UpstreamGuard guard;
    private final LoadBalancedPools pools;
    private final Duration totalTimeout;
    private final List<RetryAfterHint> hints;

    /** A filter answering with {@code guard} unless a route's {@code UpstreamGuard} filter overrides it. */
    public UpstreamGuardGlobalFilter(UpstreamGuard guard) {
        this(guard, null);
    }

    /** Like {@link #UpstreamGuardGlobalFilter(UpstreamGuard)}, with the passive health of load-balanced services. */
    public UpstreamGuardGlobalFilter(UpstreamGuard guard, LoadBalancedPools pools) {
        this(guard, pools, null);
    }

    /**
     * Like {@link #UpstreamGuardGlobalFilter(UpstreamGuard, LoadBalancedPools)}, with a whole-exchange timeout
     * ({@code timeouts.total}: from the first attempt to the last body byte; {@code null} for none): over it,
     * a request still waiting is answered {@code http_response_timeout}, a response being relayed is aborted.
     */
    public UpstreamGuardGlobalFilter(UpstreamGuard guard, LoadBalancedPools pools, Duration totalTimeout) {
        this(guard, pools, totalTimeout, List.of());
    }

    /**
     * Like {@link #UpstreamGuardGlobalFilter(UpstreamGuard, LoadBalancedPools, Duration)}, with {@code hints} that
     * know how long the refusal behind some errors lasts (an open circuit): their {@code Retry-After}.
     */
    public UpstreamGuardGlobalFilter(UpstreamGuard guard, LoadBalancedPools pools, Duration totalTimeout,
                                     List<RetryAfterHint> hints) {
        this.guard = guard;
        this.pools = pools;
        this.totalTimeout = totalTimeout;
        this.hints = List.copyOf(hints);
    }

    /** The guard routes use unless they override it. */
    public UpstreamGuard guard() {
        return guard;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        GuardedAttempt attempt = new GuardedAttempt(guard, guard.nanoTime());
        exchange.getAttributes().put(GuardedAttempt.KEY, attempt);
        Mono<Void> routed = chain.filter(exchange);
        if (totalTimeout != null) {
            routed = routed.timeout(totalTimeout, Mono.error(() -> new java.util.concurrent.TimeoutException(
                    "exchange not done within timeouts.total (" + totalTimeout.toMillis() + " ms)")));
        }
        return GatewayObservations.withServerObservation(exchange, routed)
                .onErrorResume(error -> answer(exchange, attempt, error))
                .doFinally(signal -> attempt.release())
                .contextWrite(context -> context.put(GuardedAttempt.KEY, attempt));
    }

    private Mono<Void> answer(ServerWebExchange exchange, GuardedAttempt attempt, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (ClientAbort.clientGone(response)) {
            return clientGone(exchange, attempt, error);
        }
        if (error instanceof AnsweredException answered && !response.isCommitted()) {
            UpstreamFailure failure = answered.answer().failure();
            GatewayObservations.failed(exchange, error, failure == null ? null : failure.type());
            GatewayObservations.serverFailed(exchange, error, failure == null ? null : failure.type());
            return write(exchange, attempt, answered.answer().response());
        }
        UpstreamGuard routeGuard = attempt.guard();
        GuardedExchange guarded = attempt.exchange();
        UpstreamFailure failure = error instanceof AnsweredException answered ? answered.answer().failure()
                : routeGuard.recognise(error, attempt.phase());
        if (failure == null) {
            Selection none = noInstanceInRotation(exchange, attempt, error);
            if (none != null) {
                return noHealthyUpstream(exchange, attempt, none);
            }
            if (guarded == null || error instanceof org.springframework.web.ErrorResponse) {
                return Mono.error(error); // not an upstream failure: Spring's error handling answers it
            }
            failure = routeGuard.classify(error, attempt.phase()); // proxy_internal_error, logged with its stack
        }
        GatewayObservations.failed(exchange, error, failure.type()); // answered here: Spring's handlers never see it
        GatewayObservations.serverFailed(exchange, error, failure.type());
        if (response.isCommitted()) {
            HttpStatusCode status = response.getStatusCode();
            int committed = status == null ? 200 : status.value();
            if (guarded != null) {
                guarded.onFailureAfterCommit(failure, committed);
            } else {
                routeGuard.aborted(failure, GatewayExchanges.of(exchange, attempt, List.of()), committed);
            }
            return ClientAbort.abort(response, error);
        }
        ErrorResponse answer = guarded != null ? guarded.answerWithoutRetry(failure).response()
                : routeGuard.failureResponse(failure, GatewayExchanges.of(exchange, attempt, List.of()), retryAfter(error));
        return write(exchange, attempt, answer);
    }

    /**
     * The client's connection closed while the exchange ran (e.g. a load generator closing its connections at the
     * end of a run): the error is the failed write to the client, or an upstream failure nobody can be told about.
     * Not the upstream's failure: no failure event, no passive-health signal, nothing written; logged at DEBUG.
     */
    private static Mono<Void> clientGone(ServerWebExchange exchange, GuardedAttempt attempt, Throwable error) {
        GuardedExchange guarded = attempt.exchange();
        if (guarded != null) {
            guarded.clientGone();
        }
        GatewayObservations.failed(exchange, error, null);
        if (LOG.isDebugEnabled()) {
            LOG.debug("client connection closed before the response was complete: {} {} ({})",
                    exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error.toString());
        }
        return Mono.empty();
    }

    /** What a hint knows of how long {@code error}'s refusal lasts, or {@code null} (the policy's default applies). */
    private Duration retryAfter(Throwable error) {
        for (RetryAfterHint hint : hints) {
            Duration known = hint.retryAfter(error);
            if (known != null) {
                return known;
            }
        }
        return null;
    }

    /** The exchange is over once its answer is decided: its slot is free before the client can read the answer. */
    private static Mono<Void> write(ServerWebExchange exchange, GuardedAttempt attempt, ErrorResponse answer) {
        attempt.release();
        return ErrorResponses.write(exchange, answer);
    }

    /** When the load balancer found no instance because passive health ejected them all: that selection. */
    private Selection noInstanceInRotation(ServerWebExchange exchange, GuardedAttempt attempt, Throwable error) {
        if (pools == null || !(error instanceof NotFoundException)) {
            return null;
        }
        return pools.noneInRotation(GatewayExchanges.serviceId(exchange), attempt.guard().policy().health());
    }

    private Mono<Void> noHealthyUpstream(ServerWebExchange exchange, GuardedAttempt attempt, Selection none) {
        UpstreamGuard routeGuard = attempt.guard();
        ErrorResponse error = routeGuard.noHealthyUpstream(GatewayExchanges.of(exchange, attempt, List.of()),
                none.retryAfter());
        UpstreamFailure unavailable = UpstreamFailure.of(ErrorType.DESTINATION_UNAVAILABLE, Phase.ADMISSION);
        GatewayObservations.serverEvent(exchange, "upstream.guard.admission.rejected", "no_healthy_upstream");
        GatewayObservations.serverFailed(exchange, new UpstreamFailureException(unavailable), unavailable.type());
        return ErrorResponses.write(exchange, error);
    }
}
