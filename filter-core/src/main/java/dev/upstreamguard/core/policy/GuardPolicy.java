package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.StructuredFields;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The immutable policy of one guard: how failures are answered, what is validated and what is exposed.
 * Built once at start-up, by {@link #builder()} or from string properties by {@link PolicyBinder}; every
 * setter rejects a bad value at once, naming the field and the accepted values.
 */
public final class GuardPolicy {
    /** The default {@code Proxy-Status} member name (RFC 9209 §2: it identifies this intermediary). */
    public static final String DEFAULT_MEMBER_NAME = "upstream-guard";
    /** The request header a request id is taken from (and echoed in problem details). */
    /**
     * The base our problem type URIs start with by default; the error token is appended, so that each type
     * URI names the token's section of the error catalogue {@code docs/errors.md}.
     */
    public static final String DEFAULT_PROBLEM_TYPE_BASE =
            "https://github.com/upstreamguard/upstream-guard/blob/main/docs/errors.md#";

    /** As a problem type base: every problem's type is exactly {@code about:blank} (RFC 9457 §4.2.1). */
    public static final String PROBLEM_TYPE_ABOUT_BLANK = "about:blank";

    public static final String DEFAULT_REQUEST_ID_HEADER = "X-Request-Id";
    /** {@code Retry-After} for a 503/429 whose cause gives no better estimate. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /** The longest {@code Retry-After} we write. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final String memberName;
    private final ExposurePolicy exposure;
    private final int[] statusByType;
    private final Map<ErrorType, Integer> statusOverrides;
    private final ValidationPolicy validation;
    private final boolean problemDetails;
    private final String problemTypeBase;
    private final String requestIdHeader;
    private final Duration defaultRetryAfter;
    private final OriginGuardPolicy originGuard;
    private final ConcurrencyPolicy concurrency;
    private final RateLimitPolicy rateLimit;
    private final RetryPolicy retry;
    private final PassiveHealthPolicy health;
    private final BackendPolicy limitsBackend;
    private final CircuitBreakerPolicy circuitBreaker;

    private GuardPolicy(Builder b) {
        this.memberName = b.memberName;
        this.exposure = b.exposure;
        this.statusOverrides = Map.copyOf(b.statusOverrides);
        this.statusByType = new int[ErrorType.values().length];
        for (ErrorType t : ErrorType.values()) {
            statusByType[t.ordinal()] = b.statusOverrides.getOrDefault(t, t.recommendedStatus());
        }
        this.validation = b.validation;
        this.problemDetails = b.problemDetails;
        this.problemTypeBase = b.problemTypeBase;
        this.requestIdHeader = b.requestIdHeader;
        this.defaultRetryAfter = b.defaultRetryAfter;
        this.originGuard = b.originGuard;
        this.concurrency = b.concurrency;
        this.rateLimit = b.rateLimit;
        this.retry = b.retry;
        this.health = b.health;
        this.limitsBackend = b.limitsBackend;
        this.circuitBreaker = b.circuitBreaker;
    }

    /** The defaults: RFC 9209 statuses, details to loopback clients only, strict validation. */
    public static GuardPolicy defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from {@code base}. */
    public static Builder from(GuardPolicy base) {
        return new Builder(base);
    }

    /** The status a failure of {@code type} is answered with: the override if configured, else RFC 9209's. */
    public int statusFor(ErrorType type) {
        return statusByType[type.ordinal()];
    }

    /** The configured per-type status overrides only. */
    public Map<ErrorType, Integer> statusOverrides() {
        return statusOverrides;
    }

    /** Our {@code Proxy-Status} member name. */
    public String memberName() {
        return memberName;
    }

    /** Who may see {@code details} and {@code next-hop}. */
    public ExposurePolicy exposure() {
        return exposure;
    }

    /** Limits and lenient options of the response-head validator. */
    public ValidationPolicy validation() {
        return validation;
    }

    /** Whether proxy-made errors carry an RFC 9457 body (otherwise an empty body). */
    public boolean problemDetails() {
        return problemDetails;
    }

    /** The prefix of problem {@code type} URIs; the error token is appended. */
    public String problemTypeBase() {
        return problemTypeBase;
    }

    /** The request header a request id is taken from. */
    public String requestIdHeader() {
        return requestIdHeader;
    }

    /** {@code Retry-After} for a 503/429 whose cause gives no better estimate. */
    public Duration defaultRetryAfter() {
        return defaultRetryAfter;
    }

    /** The origin-side guard's settings. */
    public OriginGuardPolicy originGuard() {
        return originGuard;
    }

    /** The per-route concurrency limit (load shedding); unlimited by default. */
    public ConcurrencyPolicy concurrency() {
        return concurrency;
    }

    /** The per-client rate limit; disabled by default. */
    public RateLimitPolicy rateLimit() {
        return rateLimit;
    }

    /** Retries with backoff and a retry budget (used by the proxy packagings). */
    public RetryPolicy retry() {
        return retry;
    }

    /** Passive health checking of a route's upstreams (used by the proxy packagings). */
    public PassiveHealthPolicy health() {
        return health;
    }

    /** Where rate-limit and retry-budget buckets live. */
    public BackendPolicy limitsBackend() {
        return limitsBackend;
    }

    /** The per-route circuit breaker; off by default. */
    public CircuitBreakerPolicy circuitBreaker() {
        return circuitBreaker;
    }

    @Override
    public String toString() {
        return "GuardPolicy[memberName=" + memberName + ", exposure=" + exposure + ", statusOverrides="
                + statusOverrides + ", validation=" + validation + ", problemDetails=" + problemDetails
                + ", problemTypeBase=" + problemTypeBase + ", requestIdHeader=" + requestIdHeader
                + ", defaultRetryAfter=" + defaultRetryAfter + ", originGuard=" + originGuard + ", concurrency=" + concurrency
                + ", rateLimit=" + rateLimit + ", retry=" + retry + ", health=" + health + ", limitsBackend="
                + limitsBackend + ", circuitBreaker=" + circuitBreaker + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GuardPolicy)) {
            return false;
        }
        GuardPolicy p = (GuardPolicy) o;
        return memberName.equals(p.memberName) && exposure.equals(p.exposure)
                && Arrays.equals(statusByType, p.statusByType) && validation.equals(p.validation)
                && problemDetails == p.problemDetails && problemTypeBase.equals(p.problemTypeBase)
                && requestIdHeader.equals(p.requestIdHeader) && defaultRetryAfter.equals(p.defaultRetryAfter)
                && originGuard.equals(p.originGuard) && concurrency.equals(p.concurrency)
                && rateLimit.equals(p.rateLimit) && retry.equals(p.retry) && health.equals(p.health)
                && limitsBackend.equals(p.limitsBackend) && circuitBreaker.equals(p.circuitBreaker);
    }

    @Override
    public int hashCode() {
        return Objects.hash(memberName, exposure, Arrays.hashCode(statusByType), validation, problemDetails,
                problemTypeBase, requestIdHeader, defaultRetryAfter, originGuard, concurrency, rateLimit, retry, health, limitsBackend,
                circuitBreaker);
    }

    /** Builds a {@link GuardPolicy}; each setter validates its value immediately. */
    public static final class Builder {
        private String memberName = DEFAULT_MEMBER_NAME;
        private ExposurePolicy exposure = ExposurePolicy.defaults();
        private final Map<ErrorType, Integer> statusOverrides = new EnumMap<>(ErrorType.class);
        private ValidationPolicy validation = ValidationPolicy.defaults();
        private boolean problemDetails = true;
        private String problemTypeBase = DEFAULT_PROBLEM_TYPE_BASE;
        private String requestIdHeader = DEFAULT_REQUEST_ID_HEADER;
        private Duration defaultRetryAfter = DEFAULT_RETRY_AFTER;
        private OriginGuardPolicy originGuard = OriginGuardPolicy.defaults();
        private ConcurrencyPolicy concurrency = ConcurrencyPolicy.defaults();
        private RateLimitPolicy rateLimit = RateLimitPolicy.defaults();
        private RetryPolicy retry = RetryPolicy.defaults();
        private PassiveHealthPolicy health = PassiveHealthPolicy.defaults();
        private BackendPolicy limitsBackend = BackendPolicy.memory();
        private CircuitBreakerPolicy circuitBreaker = CircuitBreakerPolicy.defaults();

        private Builder() {
        }

        private Builder(GuardPolicy base) {
            memberName = base.memberName;
            exposure = base.exposure;
            statusOverrides.putAll(base.statusOverrides);
            validation = base.validation;
            problemDetails = base.problemDetails;
            problemTypeBase = base.problemTypeBase;
            requestIdHeader = base.requestIdHeader;
            defaultRetryAfter = base.defaultRetryAfter;
            originGuard = base.originGuard;
            concurrency = base.concurrency;
            rateLimit = base.rateLimit;
            retry = base.retry;
            health = base.health;
            limitsBackend = base.limitsBackend;
            circuitBreaker = base.circuitBreaker;
        }

        /** Our {@code Proxy-Status} member name: an RFC 8941 Token (RFC 9209 §2). */
        public Builder memberName(String name) {
            if (name == null || !StructuredFields.isToken(name)) {
                throw new IllegalArgumentException("memberName must be an RFC 8941 token (a letter or '*', then"
                        + " letters, digits and !#$%&'*+-.^_`|~:/), was " + name);
            }
            this.memberName = name;
            return this;
        }

        /** Who may see {@code details} and {@code next-hop}. */
        public Builder exposure(ExposurePolicy policy) {
            this.exposure = Objects.requireNonNull(policy, "exposure");
            return this;
        }

        /**
         * Answers failures of {@code type} with {@code status} instead of RFC 9209's recommendation.
         * Accepted: 400–599 (a 4xx only for {@code http_request_error} and {@code http_request_denied}).
         */
        public Builder status(ErrorType type, int status) {
            Objects.requireNonNull(type, "type");
            boolean requestType = type == ErrorType.HTTP_REQUEST_ERROR || type == ErrorType.HTTP_REQUEST_DENIED;
            int min = requestType ? 400 : 500;
            if (status < min || status > 599) {
                throw new IllegalArgumentException("status for " + type.token() + " must be " + min + "-599, was " + status);
            }
            statusOverrides.put(type, status);
            return this;
        }

        /** Limits and lenient options of the response-head validator. */
        public Builder validation(ValidationPolicy policy) {
            this.validation = Objects.requireNonNull(policy, "validation");
            return this;
        }

        /** Whether proxy-made errors carry an RFC 9457 body. */
        public Builder problemDetails(boolean enabled) {
            this.problemDetails = enabled;
            return this;
        }

        /**
         * The prefix of problem {@code type} URIs: an absolute URI (RFC 9457 §3.1.1) the error token is appended to,
         * or {@code about:blank} (every problem's type is then {@code about:blank}, RFC 9457 §4.2.1); no other
         * {@code about:} URI.
         */
        public Builder problemTypeBase(String base) {
            if (base == null || !base.matches("[A-Za-z][A-Za-z0-9+.-]*:[\\x21-\\x7E]*")
                    || base.regionMatches(true, 0, "about:", 0, 6) && !base.equals(PROBLEM_TYPE_ABOUT_BLANK)) {
                throw new IllegalArgumentException("problemTypeBase must be about:blank or an absolute URI such as "
                        + DEFAULT_PROBLEM_TYPE_BASE + ", was " + base);
            }
            this.problemTypeBase = base;
            return this;
        }

        /** The request header a request id is taken from: an RFC 9110 field name. */
        public Builder requestIdHeader(String header) {
            if (header == null || !HEADER_NAME.matcher(header).matches()) {
                throw new IllegalArgumentException("requestIdHeader must be an HTTP field name (token), was " + header);
            }
            this.requestIdHeader = header;
            return this;
        }

        /** {@code Retry-After} for a 503/429 whose cause gives no better estimate: 1 s to 1 day. */
        public Builder defaultRetryAfter(Duration retryAfter) {
            if (retryAfter == null || retryAfter.compareTo(Duration.ofSeconds(1)) < 0
                    || retryAfter.compareTo(MAX_RETRY_AFTER) > 0) {
                throw new IllegalArgumentException("defaultRetryAfter must be between 1 s and 1 day, was " + retryAfter);
            }
            this.defaultRetryAfter = retryAfter;
            return this;
        }

        /** The origin-side guard's settings. */
        public Builder originGuard(OriginGuardPolicy policy) {
            this.originGuard = Objects.requireNonNull(policy, "originGuard");
            return this;
        }

        /** The per-route concurrency limit. */
        public Builder concurrency(ConcurrencyPolicy policy) {
            this.concurrency = Objects.requireNonNull(policy, "concurrency");
            return this;
        }

        /** The per-client rate limit. */
        public Builder rateLimit(RateLimitPolicy policy) {
            this.rateLimit = Objects.requireNonNull(policy, "rateLimit");
            return this;
        }

        /** Retries, backoff and the retry budget. */
        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "retry");
            return this;
        }

        /** Passive health checking. */
        public Builder health(PassiveHealthPolicy policy) {
            this.health = Objects.requireNonNull(policy, "health");
            return this;
        }

        /** Where limit buckets live. */
        public Builder limitsBackend(BackendPolicy policy) {
            this.limitsBackend = Objects.requireNonNull(policy, "limitsBackend");
            return this;
        }

        /** The per-route circuit breaker. */
        public Builder circuitBreaker(CircuitBreakerPolicy policy) {
            this.circuitBreaker = Objects.requireNonNull(policy, "circuitBreaker");
            return this;
        }

        /** The immutable policy. */
        public GuardPolicy build() {
            return new GuardPolicy(this);
        }
    }
}
