package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RequestIdSource;
import dev.upstreamguard.core.RequestIds;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.admission.AdmissionVerdicts;
import dev.upstreamguard.core.admission.RetryAfterSeconds;
import dev.upstreamguard.core.admission.RouteAdmission;
import dev.upstreamguard.core.classify.FailureClassifier;
import dev.upstreamguard.core.classify.FailureClassifiers;
import dev.upstreamguard.core.diagnostics.ErrorTexts;
import dev.upstreamguard.core.diagnostics.FailureLog;
import dev.upstreamguard.core.diagnostics.Problem;
import dev.upstreamguard.core.diagnostics.ProblemDetails;
import dev.upstreamguard.core.diagnostics.ProxyStatus;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.retry.RetryDecision;
import dev.upstreamguard.core.validate.ResponseHeadValidator;
import dev.upstreamguard.core.validate.ValidationResult;
import dev.upstreamguard.core.validate.ValidationRule;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The framework-free core every packaging uses: it classifies upstream failures, validates upstream
 * response heads and explains verdicts to the client ({@code Proxy-Status}, problem details,
 * {@code Retry-After}) and to the operator (events, logs, metrics).
 *
 * <p>Thread-safe and immutable; build one per filter, handler or gateway and share it.
 */
public final class UpstreamGuard {
    /** The {@code Proxy-Status} field name (RFC 9209 §2). */
    public static final String PROXY_STATUS = "Proxy-Status";

    private final GuardPolicy policy;
    private final FailureClassifier classifier;
    private final ResponseHeadValidator validator;
    private final GuardListener listener;
    private final LongSupplier nanoClock;
    private final BucketBackend bucketBackend;
    private final RequestIdSource requestIdSource;
    /** Our pass-through member per status 100–599 without next-hop: the per-response success path allocates nothing. */
    private final String[] passThroughMembers = new String[500];

    private final Builder origin;

    private UpstreamGuard(Builder b) {
        this.origin = b.copy();
        this.policy = b.policy;
        for (int status = 100; status <= 599; status++) {
            passThroughMembers[status - 100] = ProxyStatus.passThroughMember(policy.memberName(), status, null, false);
        }
        List<FailureClassifier> chain = new ArrayList<>(b.classifiers);
        chain.add(FailureClassifiers.defaults());
        this.classifier = FailureClassifiers.compose(chain.toArray(new FailureClassifier[0]));
        this.validator = new ResponseHeadValidator(policy.validation(), b.rules);
        List<GuardListener> listeners = new ArrayList<>();
        if (b.logFailures) {
            listeners.add(new FailureLog());
        }
        listeners.addAll(b.listeners);
        this.listener = GuardListeners.of(listeners);
        this.nanoClock = b.nanoClock;
        this.requestIdSource = b.requestIdSource;
        this.bucketBackend = b.bucketBackend != null ? b.bucketBackend.apply(this.listener) : new InMemoryBucketBackend();
        BucketBackend shared = this.bucketBackend;
        this.origin.bucketBackend = listenerIgnored -> shared;
    }

    /**
     * A builder with everything this guard was built with — classifiers, validation rules, listeners,
     * clock — and this guard's bucket backend itself (so a derived guard shares its buckets and
     * connections). Typical use: a route's guard with its own policy, {@code guard.toBuilder().policy(p).build()}.
     */
    public Builder toBuilder() {
        return origin.copy();
    }

    /** A guard with the default policy, classifiers and the failure log. */
    public static UpstreamGuard withDefaults() {
        return builder().build();
    }

    /** A builder with the default policy. */
    public static Builder builder() {
        return new Builder();
    }

    /** The policy. */
    public GuardPolicy policy() {
        return policy;
    }

    /** The clock of this guard, {@link System#nanoTime()} unless a test injected one. */
    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    /**
     * The id the {@link RequestIdSource} gives the request being handled on the calling thread (e.g. the current
     * trace id), or {@code null} when there is none, it is not safe to echo, or the source failed. Packagings ask
     * once per request, when they begin handling it, and prefer it to the client's request id.
     */
    public String sourcedRequestId() {
        try {
            String id = requestIdSource.currentRequestId();
            return RequestIds.isSafe(id) ? id : null;
        } catch (RuntimeException ex) {
            return null; // an id is never worth failing a request for
        }
    }

    /** Where this guard's rate-limit and retry-budget buckets live (in memory unless configured). */
    public BucketBackend bucketBackend() {
        return bucketBackend;
    }

    /** Admission (rate limit, then concurrency limit) for {@code routeId} under this guard's policy. */
    public RouteAdmission admission(String routeId) {
        return new RouteAdmission(routeId, policy, bucketBackend, nanoClock, listener);
    }

    /** The composed listener (log, metrics, user listeners). */
    public GuardListener listener() {
        return listener;
    }

    /**
     * Classifies {@code failure}; never {@code null}: a throwable no classifier recognises becomes
     * {@link ErrorType#PROXY_INTERNAL_ERROR} (and is counted like any failure when answered).
     */
    public UpstreamFailure classify(Throwable failure, Phase observed) {
        return FailureClassifiers.classifyOrInternal(classifier, failure, observed);
    }

    /**
     * Classifies {@code failure} only if it is an upstream failure; {@code null} when no classifier
     * recognises it (e.g. an application's own bug behind a servlet filter).
     */
    public UpstreamFailure recognise(Throwable failure, Phase observed) {
        return classifier.classify(failure, observed);
    }

    /** Validates an upstream response head before anything is committed to the client. */
    public ValidationResult validate(ResponseHead head, ValidationContext context) {
        return validator.validate(head, context);
    }

    /**
     * The failure for a field name the upstream sent that is not a token (RFC 9110 §5.1; whitespace before
     * the colon, RFC 9112 §5.1), for a packaging that scans the raw response bytes because its HTTP client
     * rewrites such a name before {@link #validate} could see it. Always an {@code http_protocol_error}.
     */
    public UpstreamFailure invalidFieldName() {
        return ResponseHeadValidator.invalidFieldName();
    }

    /**
     * The policy's verdict on an obs-fold (RFC 9112 §5.2) the upstream sent, for a packaging that scans the
     * raw response bytes because its HTTP client unfolds it before {@link #validate} could see it:
     * {@code null} when {@code validation.obs-fold} repairs folds (a client's unfolding into a space is that
     * repair), else the {@code http_protocol_error} a fold gets; a fold in Content-Length or
     * Transfer-Encoding is rejected either way.
     *
     * @param framingField whether the folded field is Content-Length or Transfer-Encoding
     */
    public UpstreamFailure obsFold(boolean framingField) {
        return validator.obsFold(framingField);
    }

    /** The error response for {@code failure}, with {@code Retry-After} from the policy's default on 503/429. */
    public ErrorResponse failureResponse(UpstreamFailure failure, Exchange exchange) {
        return failureResponse(failure, exchange, null);
    }

    /**
     * The error response for {@code failure} and the event for it: status per the policy, our
     * {@code Proxy-Status} member appended to any received value (RFC 9209 §2), problem details
     * (RFC 9457) or plain text as the client accepts, and {@code Retry-After} (RFC 9110 §10.2.3) on a 503
     * or 429 — {@code retryAfter} when the caller computed one, else the policy's default.
     */
    public ErrorResponse failureResponse(UpstreamFailure failure, Exchange exchange, Duration retryAfter) {
        return failureResponse(failure, exchange, retryAfter, null);
    }

    /**
     * The error response for the failure of an upstream call the application made itself (the servlet filter,
     * which never sends a request again): {@code not_retried} is {@code retry_disabled}.
     */
    public ErrorResponse applicationCallFailureResponse(UpstreamFailure failure, Exchange exchange) {
        return failureResponse(failure, exchange, null, RetryDecision.RETRY_DISABLED);
    }

    /**
     * 503 {@code destination_unavailable} because passive health left no upstream in rotation, with
     * {@code Retry-After} = the time until the first one returns; published as an admission refusal.
     */
    public ErrorResponse noHealthyUpstream(Exchange exchange, Duration retryAfter) {
        ErrorResponse answer = failureResponse(AdmissionVerdicts.noHealthyUpstream(), exchange, retryAfter);
        listener.onAdmissionRejected(new AdmissionEvent(exchange.routeId(), AdmissionEvent.Kind.NO_HEALTHY_UPSTREAM,
                answer.status(), RetryAfterSeconds.of(retryAfter)));
        return answer;
    }

    /**
     * As {@link #failureResponse(UpstreamFailure, Exchange, Duration)}, saying why no further attempt was made:
     * {@code notRetried} (one of {@link RetryDecision#NOT_RETRIED_REASONS}, such as {@code method_not_idempotent})
     * becomes the problem's {@code not_retried} extension member, a line of the plain-text body, and part of the
     * failure event and log line; {@code null} means {@value RetryDecision#ERROR_NOT_RETRYABLE}, the reason of
     * an answer the guard gives without a retry decision (a refusal before any attempt, or an error of its own).
     */
    public ErrorResponse failureResponse(UpstreamFailure failure, Exchange exchange, Duration retryAfter,
                                         String notRetried) {
        return failureResponse(failure, exchange, retryAfter, notRetried, List.of());
    }

    /**
     * As {@link #failureResponse(UpstreamFailure, Exchange, Duration, String)}, listing the request's attempts:
     * for a client the exposure policy trusts (as for {@code details} and {@code next-hop}) the problem gets an
     * {@code attempts} extension member, an array with one object per attempt; never for any other client.
     *
     * @param attempts one map per attempt, in order, with string or integral values only (e.g. {@code upstream},
     *                 {@code error}, {@code phase}, {@code ms}); never an address
     */
    public ErrorResponse failureResponse(UpstreamFailure failure, Exchange exchange, Duration retryAfter,
                                         String notRetried, List<Map<String, Object>> attempts) {
        Objects.requireNonNull(failure, "failure");
        String reason = notRetried == null ? RetryDecision.ERROR_NOT_RETRYABLE : notRetried;
        int status = statusOf(failure);
        boolean expose = policy.exposure().allows(exchange.remoteAddress());
        String member = ProxyStatus.member(policy.memberName(), failure, exchange.nextHop(), expose);
        List<Map.Entry<String, String>> headers = new ArrayList<>(5);
        headers.add(Map.entry(PROXY_STATUS, ProxyStatus.append(exchange.receivedProxyStatus(), member)));
        if (status == 503 || status == 429) {
            headers.add(Map.entry("Retry-After", retryAfterSeconds(retryAfter)));
        }
        Problem problem = ProblemDetails.forFailure(policy.problemTypeBase(), failure, status, exchange.requestId(), expose);
        Map<String, Object> extensions = new LinkedHashMap<>(4);
        extensions.put("not_retried", reason);
        if (expose && attempts != null && !attempts.isEmpty()) {
            extensions.put("attempts", attempts);
        }
        problem = new Problem(problem.type(), problem.title(), problem.status(), problem.detail(), problem.errorToken(),
                problem.requestId(), extensions);
        ErrorResponse response = errorResponse(status, headers, problem, exchange.accept());
        listener.onFailure(new FailureEvent(exchange.routeId(), exchange.upstreamId(), failure, status, Origin.PROXY,
                false, exchange.attempt(), exchange.maxAttempts(), elapsed(exchange), exchange.requestId(), reason));
        return response;
    }

    /** Records that the client response for {@code failure} was aborted after commit. */
    public void aborted(UpstreamFailure failure, Exchange exchange, int committedStatus) {
        listener.onFailure(new FailureEvent(exchange.routeId(), exchange.upstreamId(), failure, committedStatus,
                Origin.PROXY, true, exchange.attempt(), exchange.maxAttempts(), elapsed(exchange), exchange.requestId(),
                RetryDecision.RESPONSE_COMMITTED));
    }

    /**
     * The {@code Proxy-Status} value for an upstream response passed through: any received members and
     * ours with {@code received-status}. An upstream 5xx is reported to the listeners as
     * {@link Origin#UPSTREAM}.
     */
    public String passThrough(int receivedStatus, Exchange exchange) {
        // the exposed member differs only by next-hop: skip the address check when there is none
        boolean expose = exchange.nextHop() != null && policy.exposure().allows(exchange.remoteAddress());
        String member = expose || receivedStatus < 100 || receivedStatus > 599
                ? ProxyStatus.passThroughMember(policy.memberName(), receivedStatus, exchange.nextHop(), true)
                : passThroughMembers[receivedStatus - 100];
        if (receivedStatus >= 500) {
            listener.onFailure(new FailureEvent(exchange.routeId(), exchange.upstreamId(), null, receivedStatus,
                    Origin.UPSTREAM, false, exchange.attempt(), exchange.maxAttempts(), elapsed(exchange),
                    exchange.requestId()));
        }
        return ProxyStatus.append(exchange.receivedProxyStatus(), member);
    }

    /**
     * A 500 for the application's own failure (not an upstream's): problem details without the
     * exception's message and without {@code Proxy-Status}, since the application is the origin.
     */
    public ErrorResponse applicationErrorResponse(Exchange exchange) {
        Problem problem = new Problem("about:blank", "Internal Server Error", 500,
                "The server failed to complete the request.", null, exchange.requestId(), Map.of());
        return errorResponse(500, new ArrayList<>(3), problem, exchange.accept());
    }

    /** Reports an origin-side header violation to the listeners. */
    public void originHeaderViolation(OriginHeaderEvent event) {
        listener.onOriginHeaderViolation(event);
    }

    /** The status {@code failure} is answered with: the policy's, or the 4xx a request error names. */
    public int statusOf(UpstreamFailure failure) {
        if (failure.type() == ErrorType.HTTP_REQUEST_ERROR) {
            Object code = failure.parameters().get("status-code");
            if (code instanceof Number && ((Number) code).intValue() >= 400 && ((Number) code).intValue() <= 499) {
                return ((Number) code).intValue();
            }
        }
        return policy.statusFor(failure.type());
    }

    private ErrorResponse errorResponse(int status, List<Map.Entry<String, String>> headers, Problem problem, String accept) {
        headers.add(Map.entry("Cache-Control", "no-store"));
        if (!policy.problemDetails()) {
            return new ErrorResponse(status, headers, new byte[0]);
        }
        if (ProblemDetails.clientAccepts(accept)) {
            headers.add(Map.entry("Content-Type", ProblemDetails.MEDIA_TYPE));
            return new ErrorResponse(status, headers, ProblemDetails.toJson(problem).getBytes(StandardCharsets.UTF_8));
        }
        headers.add(Map.entry("Content-Type", "text/plain;charset=utf-8"));
        StringBuilder text = new StringBuilder(128).append(status).append(' ').append(problem.title()).append('\n');
        if (problem.errorToken() != null) {
            text.append("error: ").append(problem.errorToken()).append('\n');
        }
        if (problem.requestId() != null) {
            text.append("request id: ").append(problem.requestId()).append('\n');
        }
        Object notRetried = problem.extensions().get("not_retried");
        if (notRetried != null) {
            text.append("not retried: ").append(notRetried).append('\n');
        }
        return new ErrorResponse(status, headers, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Whole seconds, rounded up, clamped to 1 s .. {@link GuardPolicy#MAX_RETRY_AFTER} without overflowing. */
    private String retryAfterSeconds(Duration retryAfter) {
        Duration d = retryAfter == null ? policy.defaultRetryAfter() : retryAfter;
        long max = GuardPolicy.MAX_RETRY_AFTER.getSeconds();
        if (d.compareTo(GuardPolicy.MAX_RETRY_AFTER) >= 0) {
            return Long.toString(max);
        }
        // below one day here, so the seconds plus one cannot overflow
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Long.toString(Math.max(1, Math.min(seconds, max)));
    }

    private long elapsed(Exchange exchange) {
        return Math.max(0, nanoClock.getAsLong() - exchange.startNanos());
    }

    /** Short human title of a failure, for packagings that write their own bodies. */
    public static String title(UpstreamFailure failure) {
        return ErrorTexts.title(failure.type());
    }

    /** Builds an {@link UpstreamGuard}. */
    public static final class Builder {
        private GuardPolicy policy = GuardPolicy.defaults();
        private final List<FailureClassifier> classifiers = new ArrayList<>();
        private final List<ValidationRule> rules = new ArrayList<>();
        private final List<GuardListener> listeners = new ArrayList<>();
        private boolean logFailures = true;
        private LongSupplier nanoClock = System::nanoTime;
        private java.util.function.Function<GuardListener, BucketBackend> bucketBackend;
        private RequestIdSource requestIdSource = RequestIdSource.NONE;

        private Builder() {
        }

        private Builder copy() {
            Builder b = new Builder();
            b.policy = policy;
            b.classifiers.addAll(classifiers);
            b.rules.addAll(rules);
            b.listeners.addAll(listeners);
            b.logFailures = logFailures;
            b.nanoClock = nanoClock;
            b.bucketBackend = bucketBackend;
            b.requestIdSource = requestIdSource;
            return b;
        }

        /** Where rate-limit and retry-budget buckets live (default: a new {@link InMemoryBucketBackend}). */
        public Builder bucketBackend(BucketBackend backend) {
            Objects.requireNonNull(backend, "bucketBackend");
            this.bucketBackend = listener -> backend;
            return this;
        }

        /**
         * Builds the bucket backend with the guard's composed listener, so a backend's failures reach the
         * log and the meters (e.g. {@code dev.upstreamguard.redis.LimitBackends.forPolicy(policy)}).
         */
        public Builder bucketBackend(java.util.function.Function<GuardListener, BucketBackend> factory) {
            this.bucketBackend = Objects.requireNonNull(factory, "bucketBackend");
            return this;
        }

        /** The policy (default {@link GuardPolicy#defaults()}). */
        public Builder policy(GuardPolicy newPolicy) {
            this.policy = Objects.requireNonNull(newPolicy, "policy");
            return this;
        }

        /** A classifier consulted before the built-in ones. */
        public Builder addClassifier(FailureClassifier c) {
            classifiers.add(Objects.requireNonNull(c, "classifier"));
            return this;
        }

        /** A validation rule run after the built-in ones. */
        public Builder addValidationRule(ValidationRule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** A listener (metrics, audit); see the {@link GuardListener} contract. */
        public Builder addListener(GuardListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /** Whether to write the one-line failure log (default true). */
        public Builder logFailures(boolean enabled) {
            this.logFailures = enabled;
            return this;
        }

        /** Where request ids come from before the client's header (default {@link RequestIdSource#NONE}), e.g. the trace id. */
        public Builder requestIdSource(RequestIdSource source) {
            this.requestIdSource = Objects.requireNonNull(source, "requestIdSource");
            return this;
        }

        /** The clock for elapsed times (tests inject one). */
        public Builder nanoClock(LongSupplier clock) {
            this.nanoClock = Objects.requireNonNull(clock, "nanoClock");
            return this;
        }

        /** The guard. */
        public UpstreamGuard build() {
            return new UpstreamGuard(this);
        }
    }
}
