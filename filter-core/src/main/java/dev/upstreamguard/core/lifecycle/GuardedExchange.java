package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.AttemptEvent;
import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RequestIds;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.Selection;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.Via;
import dev.upstreamguard.core.admission.AdmissionVerdicts;
import dev.upstreamguard.core.admission.RetryAfterSeconds;
import dev.upstreamguard.core.admission.RouteAdmission;
import dev.upstreamguard.core.retry.AttemptContext;
import dev.upstreamguard.core.retry.RequestDelivery;
import dev.upstreamguard.core.retry.Retrier;
import dev.upstreamguard.core.retry.RetryDecision;
import dev.upstreamguard.core.validate.ValidationResult;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One client request on a {@link RouteGuard}, from admission to the last byte: the packaging reports what
 * it observed and the exchange answers with a {@link Verdict}. The whole lifecycle is decided here, once:
 *
 * <pre>
 *   admit() ──► ADMITTED ──► nextAttempt() ──► SendTo ──► requestSending() / requestSent() / responseBegun()
 *                  │                              ▲            │
 *                  ▼                              │            ├─ onHead(head)    ──► Relay | Retry | Answer
 *               Answer (429 / 503 / loop)   Retry(delay)       ├─ onFailure(e)    ──► Retry | Answer | Abort
 *                                                              └─ onFailureAfterCommit(e) ──► Abort
 *   clientGone() at any time; complete() when the exchange ends, however it ends
 * </pre>
 *
 * <ul>
 *   <li><b>Delivery is observed, not guessed.</b> {@link #requestSending()} marks that request bytes may
 *       have reached the upstream; until then a failure is one that never left, which is retried for any
 *       method. After it, only methods in {@code retry.methods} with a replayable body, and only for the
 *       conditions the route opted in to ({@code retry.conditions}).</li>
 *   <li><b>One deadline.</b> Every attempt's head timeout and every backoff fit inside the route's
 *       end-to-end deadline ({@link RouteGuard#deadline()}).</li>
 *   <li><b>One failure signal per upstream per request.</b> However many attempts of one request fail on an
 *       upstream, its passive health counts one failure.</li>
 *   <li><b>One classification per failure</b>, with the phase this exchange tracked.</li>
 * </ul>
 *
 * <p>Attempts run one after the other; the packaging calls the methods of one attempt in the order it
 * observes events, possibly from different threads (fields are volatile). Nothing here blocks: the only
 * asynchronous answers (admission on a distributed limiter, a retry-budget token) come as
 * {@link CompletionStage}s that never complete exceptionally.
 */
public final class GuardedExchange {
    private static final CompletionStage<Verdict> ADMITTED = CompletableFuture.completedStage(Verdict.ADMITTED);
    /** The least time a retried attempt gets before the deadline, unless its per-try timeout is shorter. */
    private static final long MIN_ATTEMPT_MILLIS = 100;
    /** Up to this much of the deadline may already be spent when an attempt still gets the whole per-try timeout. */
    private static final long HEAD_TIMEOUT_SLACK_NANOS = 1_000_000L;
    private static final CompletionStage<Verdict> RELAY_PLAIN = CompletableFuture.completedStage(Verdict.Relay.PLAIN);
    private static final AtomicIntegerFieldUpdater<GuardedExchange> IN_FLIGHT =
            AtomicIntegerFieldUpdater.newUpdater(GuardedExchange.class, "inFlight");
    private static final int NOT_COUNTED = 0;
    private static final int COUNTED = 1;
    private static final int COMPLETED = 2;
    private static final long NO_ATTEMPT = Long.MIN_VALUE;

    private final RouteGuard route;
    private final UpstreamGuard guard;
    private final ClientRequest request;
    private final long startNanos;
    private volatile RouteAdmission.Ticket ticket;
    private volatile List<Map.Entry<String, String>> responseFields = List.of();
    private volatile boolean bodyReplayable = true;
    private volatile boolean streamedBodyConsumed;
    private volatile int attempt;
    private volatile Upstream upstream;
    private volatile UpstreamPool pool;
    private volatile String nextHop;
    private String firstTried;
    private List<String> tried;
    private List<String> blamed;
    private volatile Phase phase = Phase.ADMISSION;
    private volatile boolean sending;
    private volatile boolean clientGone;
    private volatile UpstreamFailure lastFailure;
    private volatile List<String> receivedProxyStatus = List.of();
    private volatile String requestId;
    /** Whether this exchange counts in its route's {@link RouteGuard#inFlight()}: not yet, yes, or completed. */
    private volatile int inFlight;
    /** When the current attempt began, while it has not ended (head or failure); else {@link #NO_ATTEMPT}. */
    private volatile long attemptStartNanos = NO_ATTEMPT;
    private CircuitBreaker.Permit circuit;
    private volatile CircuitBreaker.Outcome outcome = CircuitBreaker.Outcome.NONE;
    /** When the current attempt began (kept after it ended, for its milliseconds in {@link #attempts}). */
    private volatile long attemptBeganNanos;
    /** One entry per ended attempt that failed or was retried, for trusted clients' problem bodies. */
    private List<Map<String, Object>> attempts;

    GuardedExchange(RouteGuard route, ClientRequest request, long startNanos) {
        this.route = route;
        this.guard = route.guard();
        this.request = Objects.requireNonNull(request, "request");
        this.startNanos = startNanos;
        this.requestId = guard.sourcedRequestId(); // on the thread that begins the request, e.g. the trace id
    }

    /**
     * Admission: a request that already passed through this proxy ({@code Via} names our pseudonym) is answered
     * 502 {@code proxy_loop_detected} before any limit; then the route's circuit breaker when enabled (503
     * {@code destination_unavailable} while open, with the time left open as {@code Retry-After}); then the
     * client's rate limit and the route's concurrency limit. {@link Verdict#ADMITTED} or an
     * {@link Verdict.Answer} (429 or 503 with a computed {@code Retry-After}).
     */
    public CompletionStage<Verdict> admit() {
        String pseudonym = route.viaPseudonym();
        if (pseudonym != null && Via.namesReceivedBy(request.headers().all("Via"), pseudonym)) {
            UpstreamFailure loop = UpstreamFailure.of(ErrorType.PROXY_LOOP_DETECTED, Phase.ADMISSION)
                    .withDetails("the request already passed through this proxy (Via)");
            return CompletableFuture.completedStage(answer(loop, null, null));
        }
        CircuitBreaker breaker = route.circuitBreaker();
        if (breaker != null) {
            CircuitBreaker.Permit permit = breaker.admit();
            if (!permit.admitted()) {
                return CompletableFuture.completedStage(circuitOpen(permit));
            }
            synchronized (this) {
                circuit = permit;
            }
        }
        RouteAdmission admission = route.admission();
        if (!admission.limits()) {
            countInFlight();
            route.onAdmitted();
            return ADMITTED;
        }
        return admission.admit(request.remoteAddress(), request.headers()::first).handle((granted, error) -> {
            if (error != null) {
                return answer(guard.classify(error, Phase.ADMISSION), null, null);
            }
            responseFields = granted.headers();
            if (!granted.admitted()) {
                endCircuit(); // a refused request says nothing about the upstreams: a probe's place is given back
                return answer(granted.refusal(), granted.retryAfter(), null);
            }
            ticket = granted;
            countInFlight();
            route.onAdmitted();
            return Verdict.ADMITTED;
        });
    }

    /**
     * Whether the request body can be sent again: it is empty, or it was buffered whole. A streamed body can
     * still be sent to a next upstream as long as no attempt began sending it. Default: true.
     */
    public void body(boolean replayable) {
        this.bodyReplayable = replayable;
    }

    /**
     * The next attempt on the route's pool: round-robin over the upstreams in rotation, another one than
     * those this request tried when there is one. An {@link Verdict.Answer} when none can be chosen (503
     * {@code destination_unavailable} with the time until the first returns, or the previous attempt's
     * failure when a retry found nowhere to go), an {@link Verdict.Abort} when the client is gone.
     */
    public Verdict nextAttempt() {
        if (clientGone) {
            return new Verdict.Abort(lastFailure);
        }
        UpstreamPool routePool = route.pool();
        if (routePool == null) {
            return begin(null, null, null);
        }
        Selection selection = routePool.select(triedIds());
        if (!selection.available()) {
            UpstreamFailure previous = lastFailure;
            return previous != null ? answer(previous, null, RetryDecision.ATTEMPTS_EXHAUSTED)
                    : noHealthyUpstream(selection.retryAfter());
        }
        Upstream chosen = selection.upstream();
        return begin(chosen, routePool, authority(chosen.uri()));
    }

    /**
     * The next attempt on an upstream the packaging chose itself (e.g. a load balancer's instance).
     *
     * @param chosen   the upstream, or {@code null} when it has no id of its own
     * @param health   the pool whose passive health the attempt reports to, or {@code null}
     * @param hop      what {@code next-hop} may name (an alias or host), or {@code null}
     */
    public Verdict nextAttempt(Upstream chosen, UpstreamPool health, String hop) {
        if (clientGone) {
            return new Verdict.Abort(lastFailure);
        }
        return begin(chosen, health, hop);
    }

    private Verdict begin(Upstream chosen, UpstreamPool health, String hop) {
        int number = attempt + 1;
        this.attempt = number;
        this.upstream = chosen;
        this.pool = health;
        this.nextHop = hop;
        this.sending = false;
        this.phase = Phase.CONNECT;
        this.receivedProxyStatus = List.of();
        long now = guard.nanoTime();
        this.attemptStartNanos = now;
        this.attemptBeganNanos = now;
        if (chosen != null) {
            if (firstTried == null) {
                firstTried = chosen.id(); // the common single-attempt request allocates no list
            } else {
                if (tried == null) {
                    tried = new ArrayList<>(3);
                    tried.add(firstTried);
                }
                tried.add(chosen.id());
            }
        }
        return new Verdict.SendTo(chosen, number, maxAttempts(), headTimeout());
    }

    private List<String> triedIds() {
        return tried != null ? tried : firstTried != null ? List.of(firstTried) : List.of();
    }

    /** The head timeout of an attempt starting now: the per-try timeout, never past the deadline, at least 1 ms. */
    private Duration headTimeout() {
        Duration perTry = route.policy().retry().perTryTimeout();
        if (perTry == null) {
            perTry = route.responseTimeout();
        }
        long left = route.deadlineNanos() - (guard.nanoTime() - startNanos);
        if (perTry != null && left >= perTry.toNanos() - HEAD_TIMEOUT_SLACK_NANOS) {
            return perTry; // (nearly) the whole per-try time is left, as for a first attempt: no new Duration
        }
        long nanos = perTry == null ? left : Math.min(perTry.toNanos(), left);
        return Duration.ofNanos(Math.max(nanos, 1_000_000L));
    }

    /** Time left until the request's end-to-end deadline (never negative). */
    public Duration timeLeft() {
        long left = route.deadlineNanos() - (guard.nanoTime() - startNanos);
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** The attempt's request bytes are being written: from now on the upstream may have received it. */
    public void requestSending() {
        sending = true;
        advance(Phase.SEND_REQUEST);
    }

    /** The attempt's request was written completely: waiting for the response head. */
    public void requestSent() {
        sending = true;
        advance(Phase.AWAIT_RESPONSE);
    }

    /** The first bytes of the attempt's response arrived. */
    public void responseBegun() {
        sending = true;
        advance(Phase.READ_HEAD);
    }

    /** Moves the attempt's phase forward (never back: callbacks of one attempt may race). */
    public void advance(Phase next) {
        synchronized (this) {
            if (next.ordinal() > phase.ordinal()) {
                phase = next;
            }
        }
    }

    /** The phase the current attempt reached, as reported. */
    public Phase phase() {
        return phase;
    }

    /**
     * The attempt's response head arrived. It is validated before anything reaches the client; a status the
     * route retries ({@code retry.conditions=status}) may be retried; anything else is relayed with our
     * {@code Proxy-Status} member appended to an upstream 5xx.
     *
     * @param head                the head as received
     * @param context             what the request asked for (HEAD, an upgrade)
     * @param receivedProxyStatus the upstream's {@code Proxy-Status} field lines, empty when none
     * @param retryAfter          the upstream's {@code Retry-After} value, or {@code null}
     * @return a {@link Verdict.Relay}, a {@link Verdict.Retry} (drop this head and close its connection) or
     *         an {@link Verdict.Answer} (the head was rejected: close its connection)
     */
    public CompletionStage<Verdict> onHead(ResponseHead head, ValidationContext context, List<String> receivedProxyStatus,
                                           String retryAfter) {
        ValidationResult result = guard.validate(head, context);
        if (!receivedProxyStatus.isEmpty()) {
            this.receivedProxyStatus = receivedProxyStatus;
        }
        if (!result.ok()) {
            return onFailure(result.failure());
        }
        attemptEnded(null);
        advance(Phase.READ_BODY);
        int status = head.status();
        UpstreamPool health = pool;
        Upstream current = upstream;
        if (health != null && current != null) {
            health.onResponse(current, status);
        }
        if (route.circuitBreaker() != null) {
            outcome = CircuitBreaker.Outcome.ofStatus(status, route.policy().health().countUpstream5xx());
        }
        Retrier retrier = route.retrier();
        if (!retrier.retriesStatus(status)) {
            return relay(status, result);
        }
        return retrier.afterResponse(context(), status, retryAfter, upstreamId()).thenCompose(decision -> {
            if (decision.retry()) {
                recordAttempt("none", Phase.READ_HEAD, status);
                return CompletableFuture.completedStage(new Verdict.Retry(decision.delay(), decision.reason()));
            }
            return relay(status, result);
        });
    }

    private CompletionStage<Verdict> relay(int status, ValidationResult result) {
        String proxyStatus;
        if (status >= 500) {
            proxyStatus = guard.passThrough(status, exchange());
        } else {
            route.retrier().onSuccess(attempt, status, upstreamId());
            List<String> received = receivedProxyStatus;
            proxyStatus = received.isEmpty() ? null : String.join(", ", received);
        }
        if (proxyStatus == null && result.repairs().isEmpty()) {
            return RELAY_PLAIN;
        }
        return CompletableFuture.completedStage(new Verdict.Relay(proxyStatus, result.repairs()));
    }

    /**
     * The attempt failed before anything was sent to the client. Classified once, with the phase this
     * exchange tracked; counted against the upstream (once per request); then retried when safe and wanted,
     * else answered.
     *
     * @return a {@link Verdict.Retry}, an {@link Verdict.Answer}, or an {@link Verdict.Abort} when the client
     *         is gone
     */
    public CompletionStage<Verdict> onFailure(Throwable error) {
        return onFailure(guard.classify(error, phase));
    }

    /** As {@link #onFailure(Throwable)}, for a failure the packaging classified itself. */
    public CompletionStage<Verdict> onFailure(UpstreamFailure failure) {
        Objects.requireNonNull(failure, "failure");
        attemptEnded(failure);
        if (sending) {
            streamedBodyConsumed = true;
        }
        if (clientGone) {
            return CompletableFuture.completedStage(new Verdict.Abort(failure));
        }
        blame(failure);
        lastFailure = failure;
        recordAttempt(failure.type().token(), failure.phase(), 0);
        Retrier retrier = route.retrier();
        if (!retrier.policy().enabled()) {
            return CompletableFuture.completedStage(answer(failure, null, RetryDecision.RETRY_DISABLED));
        }
        return retrier.afterFailure(context(), failure, upstreamId()).thenApply(decision -> decision.retry()
                ? new Verdict.Retry(decision.delay(), decision.reason())
                : answer(failure, null, decision.reason()));
    }

    /**
     * A failure the packaging can no longer retry, before anything was written to the client: the attempt
     * failed once its head had been accepted ({@code response_committed}), or the packaging's own step failed
     * ({@code proxy_internal_error}, never retried). Counted against the upstream where it is the upstream's,
     * and answered.
     */
    public Verdict.Answer answerWithoutRetry(UpstreamFailure failure) {
        Objects.requireNonNull(failure, "failure");
        blame(failure);
        lastFailure = failure;
        recordAttempt(failure.type().token(), failure.phase(), 0);
        return answer(failure, null, failure.type() == ErrorType.PROXY_INTERNAL_ERROR
                ? RetryDecision.ERROR_NOT_RETRYABLE : RetryDecision.RESPONSE_COMMITTED);
    }

    /**
     * The attempt failed after the client response was committed (its body was being relayed): the failure is
     * logged and counted, the upstream blamed, and the answer is always {@link Verdict.Abort}.
     *
     * @param committedStatus the status already sent to the client
     */
    public Verdict.Abort onFailureAfterCommit(Throwable error, int committedStatus) {
        return onFailureAfterCommit(guard.classify(error, phase), committedStatus);
    }

    /** As {@link #onFailureAfterCommit(Throwable, int)}, for a failure the packaging classified itself. */
    public Verdict.Abort onFailureAfterCommit(UpstreamFailure failure, int committedStatus) {
        if (!clientGone) {
            blame(failure);
            if (route.circuitBreaker() != null && CircuitBreaker.Outcome.of(failure) == CircuitBreaker.Outcome.FAILURE) {
                outcome = CircuitBreaker.Outcome.FAILURE;
            }
            guard.aborted(failure, exchange(), committedStatus);
        }
        return new Verdict.Abort(failure);
    }

    /** The client went away: no further attempt is made, and failures from now on are not the upstream's. */
    public void clientGone() {
        clientGone = true;
    }

    /**
     * The exchange is over, however it ended: frees the admission's concurrency slot and tells the route's circuit
     * breaker how the request ended. Idempotent.
     */
    public void complete() {
        if (IN_FLIGHT.getAndSet(this, COMPLETED) == COUNTED) {
            route.inFlightCount().decrementAndGet();
        }
        RouteAdmission.Ticket t = ticket;
        if (t != null) {
            t.close();
        }
        if (route.circuitBreaker() != null) {
            endCircuit();
        }
    }

    /**
     * For a packaging that makes no upstream attempts itself (the servlet filter, whose application calls the
     * upstream): what the request said about the upstream, for the route's circuit breaker, reported before
     * {@link #complete()}. Proxy packagings do not call it: their attempts' heads and failures say it.
     */
    public void reportOutcome(CircuitBreaker.Outcome said) {
        if (route.circuitBreaker() != null) {
            outcome = Objects.requireNonNull(said, "said");
        }
    }

    /** Reports this request's outcome to the circuit breaker, once. */
    private void endCircuit() {
        CircuitBreaker.Permit permit;
        synchronized (this) {
            permit = circuit;
            circuit = null;
        }
        if (permit != null) {
            route.circuitBreaker().onOutcome(permit, outcome);
        }
    }

    /** Reports the end of the current attempt once: at its accepted head, or at its failure before one. */
    private void attemptEnded(UpstreamFailure failure) {
        long started = attemptStartNanos;
        if (started == NO_ATTEMPT) {
            return;
        }
        synchronized (this) {
            if (attemptStartNanos != started) {
                return;
            }
            attemptStartNanos = NO_ATTEMPT;
        }
        guard.listener().onAttempt(new AttemptEvent(route.routeId(), upstreamId(), attempt, failure,
                guard.nanoTime() - started));
    }

    /** Counts this admitted exchange in flight on its route, unless it already completed. */
    private void countInFlight() {
        route.admittedCount().increment();
        route.inFlightCount().incrementAndGet();
        if (!IN_FLIGHT.compareAndSet(this, NOT_COUNTED, COUNTED)) {
            route.inFlightCount().decrementAndGet();
        }
    }

    /** Fields every response of this request carries, e.g. {@code RateLimit-Policy} and {@code RateLimit}. */
    public List<Map.Entry<String, String>> responseFields() {
        return responseFields;
    }

    /** The 1-based number of the current attempt; 0 before the first. */
    public int attempt() {
        return attempt;
    }

    /** The current attempt's upstream, or {@code null}. */
    public Upstream upstream() {
        return upstream;
    }

    /** The route this exchange runs on. */
    public RouteGuard route() {
        return route;
    }

    /**
     * The request id: the guard's {@link dev.upstreamguard.core.RequestIdSource} (e.g. the trace id) when it gave
     * one as the exchange began, else the client's when it sent a safe one, else generated; the same for the whole
     * exchange, in the problem body and the log line alike.
     */
    public String requestId() {
        String id = requestId;
        if (id == null) {
            id = RequestIds.resolve(request.headers().first(guard.policy().requestIdHeader()));
            requestId = id;
        }
        return id;
    }

    /** The exchange as the guard's diagnostics see it (for packagings that explain something themselves). */
    public Exchange exchange() {
        int number = Math.max(1, attempt);
        Upstream current = upstream;
        return new Exchange(route.routeId(), current == null ? null : current.id(), nextHop, request.remoteAddress(),
                request.headers().first("Accept"), requestId(), receivedProxyStatus, number,
                Math.max(number, maxAttempts()), startNanos);
    }

    private int maxAttempts() {
        return route.policy().retry().maxAttempts();
    }

    private String upstreamId() {
        Upstream current = upstream;
        return current == null ? null : current.id();
    }

    /**
     * What the retrier needs to know about the attempt that just ended. A retry must leave its attempt some
     * time: the deadline it is held to is the request's, less the shorter of the per-try timeout and
     * {@value #MIN_ATTEMPT_MILLIS} ms, so that no attempt is started only to be cut by the deadline at once (its
     * answer would then be a timeout instead of the failure that was worth retrying).
     */
    private AttemptContext context() {
        boolean replayable = bodyReplayable || !streamedBodyConsumed;
        Duration perTry = route.policy().retry().perTryTimeout();
        if (perTry == null) {
            perTry = route.responseTimeout();
        }
        long minAttempt = Math.min(MIN_ATTEMPT_MILLIS * 1_000_000L, perTry == null ? Long.MAX_VALUE : perTry.toNanos());
        long deadline = Math.max(1, route.deadlineNanos() - minAttempt);
        return new AttemptContext(request.method(), replayable, false, Math.max(1, attempt), startNanos,
                sending ? RequestDelivery.MAY_HAVE_BEEN_SENT : RequestDelivery.NOT_SENT, deadline, untriedUpstream());
    }

    /**
     * Whether the pool of the attempt that just ended has an upstream this request has not tried: its next
     * attempt goes there ({@link UpstreamPool#select} prefers one, ejected or not, to a repeat).
     */
    private boolean untriedUpstream() {
        UpstreamPool health = pool;
        if (health == null) {
            return false;
        }
        List<String> triedIds = triedIds();
        for (Upstream candidate : health.upstreams()) {
            if (!triedIds.contains(candidate.id())) {
                return true;
            }
        }
        return false;
    }

    /** Counts {@code failure} against the current upstream, at most once per upstream for this request. */
    private void blame(UpstreamFailure failure) {
        UpstreamPool health = pool;
        Upstream current = upstream;
        if (health == null || current == null) {
            return;
        }
        synchronized (this) {
            if (blamed == null) {
                blamed = new ArrayList<>(2);
            } else if (blamed.contains(current.id())) {
                return;
            }
            blamed.add(current.id());
        }
        health.onFailure(current, failure);
    }

    /**
     * Records the attempt that just ended for the problem body's {@code attempts} (trusted clients only): the
     * upstream's alias {@code <route>-<n>} (its position in the pool, never its address), the error token, the
     * phase, the attempt's milliseconds, and the status when a status was retried.
     */
    private void recordAttempt(String error, Phase reached, int status) {
        if (attempt == 0) {
            return; // a failure before any attempt (admission)
        }
        Map<String, Object> entry = new java.util.LinkedHashMap<>(8);
        String alias = alias();
        if (alias != null) {
            entry.put("upstream", alias);
        }
        entry.put("error", error);
        entry.put("phase", reached.name().toLowerCase(java.util.Locale.ROOT));
        entry.put("ms", Math.max(0, guard.nanoTime() - attemptBeganNanos) / 1_000_000L);
        if (status > 0) {
            entry.put("status", status);
        }
        synchronized (this) {
            if (attempts == null) {
                attempts = new ArrayList<>(3);
            }
            attempts.add(entry);
        }
    }

    /** The current upstream as {@code <route>-<n>}, n its 1-based position in its pool; {@code null} when unknown. */
    private String alias() {
        Upstream current = upstream;
        UpstreamPool health = pool;
        if (current == null || health == null) {
            return null;
        }
        List<Upstream> members = health.upstreams();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).id().equals(current.id())) {
                return RouteGuard.upstreamId(route.routeId(), i + 1);
            }
        }
        return null;
    }

    private Verdict.Answer noHealthyUpstream(Duration retryAfter) {
        ErrorResponse response = guard.noHealthyUpstream(exchange(), retryAfter);
        return new Verdict.Answer(withResponseFields(response), AdmissionVerdicts.noHealthyUpstream(), null);
    }

    private Verdict.Answer circuitOpen(CircuitBreaker.Permit refusal) {
        Duration retryAfter = refusal.retryAfter();
        Verdict.Answer answer = answer(AdmissionVerdicts.circuitOpen(refusal.probe()), retryAfter, null);
        guard.listener().onAdmissionRejected(new AdmissionEvent(route.routeId(),
                AdmissionEvent.Kind.CIRCUIT_OPEN, answer.response().status(), RetryAfterSeconds.of(retryAfter)));
        return answer;
    }

    private Verdict.Answer answer(UpstreamFailure failure, Duration retryAfter, String notRetried) {
        if (route.circuitBreaker() != null) {
            outcome = CircuitBreaker.Outcome.of(failure); // the request's last word: a failure, or nothing said
        }
        List<Map<String, Object>> tried;
        synchronized (this) {
            tried = attempts == null ? List.of() : List.copyOf(attempts);
        }
        ErrorResponse response = guard.failureResponse(failure, exchange(), retryAfter, notRetried, tried);
        return new Verdict.Answer(withResponseFields(response), failure, notRetried);
    }

    private ErrorResponse withResponseFields(ErrorResponse response) {
        List<Map.Entry<String, String>> fields = responseFields;
        if (fields.isEmpty()) {
            return response;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(response.headers());
        headers.addAll(fields);
        return new ErrorResponse(response.status(), headers, response.body());
    }

    private static String authority(URI uri) {
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }
}
