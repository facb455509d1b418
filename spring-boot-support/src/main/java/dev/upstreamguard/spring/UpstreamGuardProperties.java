package dev.upstreamguard.spring;

import dev.upstreamguard.core.BackendFailureMode;
import dev.upstreamguard.core.OriginGuardAction;
import dev.upstreamguard.core.policy.BackendPolicy;
import dev.upstreamguard.core.policy.ClientKeySource;
import dev.upstreamguard.core.policy.ContentLengthWithTransferEncoding;
import dev.upstreamguard.core.policy.ObsFoldHandling;
import dev.upstreamguard.core.policy.RetryCondition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code upstream-guard.*} properties every Spring Boot packaging shares: one typed property per key of
 * the core's {@code PolicyBinder} (which stays the single source of keys, defaults, checks and messages; see
 * {@link UpstreamGuardPolicies}), plus {@code enabled} and {@code recent-failures}. Durations take Spring's
 * forms ({@code 10s}, {@code PT10S}, or bare milliseconds such as {@code 10000}); sizes {@code 8KB} or bytes;
 * lists comma-separated or as YAML lists; enums in any case, with {@code -} or {@code _}.
 */
@ConfigurationProperties(prefix = UpstreamGuardProperties.PREFIX)
public class UpstreamGuardProperties {
    /** The property prefix. */
    public static final String PREFIX = "upstream-guard";

    /** Whether Upstream Guard is active (false: the starter registers nothing). */
    private boolean enabled = true;
    /** How many of the last failures the status page (actuator endpoint upstreamguard) keeps, 1 to 10000. */
    private int recentFailures = 50;
    /** Status per RFC 9209 error type, e.g. status.connection_timeout=504 (500-599; 400-599 for http_request_error and http_request_denied). */
    private Map<String, Integer> status = new LinkedHashMap<>();
    /** Proxy-Status settings (RFC 9209). */
    private final ProxyStatus proxyStatus = new ProxyStatus();
    /** Who sees failure details. */
    private final Exposure exposure = new Exposure();
    /** Upstream response head validation. */
    private final Validation validation = new Validation();
    /** RFC 9457 problem details bodies. */
    private final ProblemDetails problemDetails = new ProblemDetails();
    /** Request ids. */
    private final RequestId requestId = new RequestId();
    /** Retry-After on our own 503 and 429 answers. */
    private final RetryAfter retryAfter = new RetryAfter();
    /** The origin-side guard: this application's own response heads against the budget of the proxy in front. */
    private final OriginGuard originGuard = new OriginGuard();
    /** Concurrency limit. */
    private final Concurrency concurrency = new Concurrency();
    /** Per-client rate limit. */
    private final RateLimit rateLimit = new RateLimit();
    /** Retries (proxy packagings: the gateway; a servlet application makes its own calls). */
    private final Retry retry = new Retry();
    /** Passive health of upstreams (proxy packagings: the gateway). */
    private final Health health = new Health();
    /** Where rate-limit and retry-budget buckets live. */
    private final Limits limits = new Limits();
    /** The opt-in per-route circuit breaker: fail fast while a route's upstreams are dead. */
    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getRecentFailures() {
        return recentFailures;
    }

    public void setRecentFailures(int recentFailures) {
        this.recentFailures = recentFailures;
    }

    public Map<String, Integer> getStatus() {
        return status;
    }

    public void setStatus(Map<String, Integer> status) {
        this.status = status;
    }

    public ProxyStatus getProxyStatus() {
        return proxyStatus;
    }

    public Exposure getExposure() {
        return exposure;
    }

    public Validation getValidation() {
        return validation;
    }

    public ProblemDetails getProblemDetails() {
        return problemDetails;
    }

    public RequestId getRequestId() {
        return requestId;
    }

    public RetryAfter getRetryAfter() {
        return retryAfter;
    }

    public OriginGuard getOriginGuard() {
        return originGuard;
    }

    public Concurrency getConcurrency() {
        return concurrency;
    }

    public RateLimit getRateLimit() {
        return rateLimit;
    }

    public Retry getRetry() {
        return retry;
    }

    public Health getHealth() {
        return health;
    }

    public Limits getLimits() {
        return limits;
    }

    public CircuitBreaker getCircuitBreaker() {
        return circuitBreaker;
    }

    /** {@code upstream-guard.proxy-status.*}: Proxy-Status settings (RFC 9209). */
    public static class ProxyStatus {
        /** Our member name in Proxy-Status (RFC 9209 section 2), an RFC 8941 token. */
        private String memberName = "upstream-guard";

        public String getMemberName() {
            return memberName;
        }

        public void setMemberName(String memberName) {
            this.memberName = memberName;
        }
    }

    /** {@code upstream-guard.exposure.*}: who sees failure details. */
    public static class Exposure {
        /** Who sees the Proxy-Status 'details' and 'next-hop' parameters and the detailed problem text. */
        private dev.upstreamguard.core.policy.Exposure mode = dev.upstreamguard.core.policy.Exposure.TRUSTED;
        /** Client addresses or CIDR blocks (literals only) that count as trusted when exposure.mode=trusted; none by default. */
        private List<String> trustedCidrs = new ArrayList<>();

        public dev.upstreamguard.core.policy.Exposure getMode() {
            return mode;
        }

        public void setMode(dev.upstreamguard.core.policy.Exposure mode) {
            this.mode = mode;
        }

        public List<String> getTrustedCidrs() {
            return trustedCidrs;
        }

        public void setTrustedCidrs(List<String> trustedCidrs) {
            this.trustedCidrs = trustedCidrs;
        }
    }

    /** {@code upstream-guard.validation.*}: upstream response head validation. */
    public static class Validation {
        /** Largest single upstream response header field ('name: value' + CRLF). */
        private DataSize maxHeaderSize = DataSize.ofBytes(8192);
        /** Largest upstream response head (status line, fields, final CRLF). */
        private DataSize maxHeaderSectionSize = DataSize.ofBytes(32768);
        /** Most fields an upstream response head may have. */
        private int maxHeaderCount = 256;
        /** Line folding in an upstream header value: reject it, or replace it with a space (RFC 9112 section 5.2). */
        private ObsFoldHandling obsFold = ObsFoldHandling.REJECT;
        /** An upstream response with both Transfer-Encoding and Content-Length: reject it, or drop Content-Length (RFC 9112 section 6.3). */
        private ContentLengthWithTransferEncoding contentLengthWithTransferEncoding = ContentLengthWithTransferEncoding.REJECT;

        public DataSize getMaxHeaderSize() {
            return maxHeaderSize;
        }

        public void setMaxHeaderSize(DataSize maxHeaderSize) {
            this.maxHeaderSize = maxHeaderSize;
        }

        public DataSize getMaxHeaderSectionSize() {
            return maxHeaderSectionSize;
        }

        public void setMaxHeaderSectionSize(DataSize maxHeaderSectionSize) {
            this.maxHeaderSectionSize = maxHeaderSectionSize;
        }

        public int getMaxHeaderCount() {
            return maxHeaderCount;
        }

        public void setMaxHeaderCount(int maxHeaderCount) {
            this.maxHeaderCount = maxHeaderCount;
        }

        public ObsFoldHandling getObsFold() {
            return obsFold;
        }

        public void setObsFold(ObsFoldHandling obsFold) {
            this.obsFold = obsFold;
        }

        public ContentLengthWithTransferEncoding getContentLengthWithTransferEncoding() {
            return contentLengthWithTransferEncoding;
        }

        public void setContentLengthWithTransferEncoding(ContentLengthWithTransferEncoding contentLengthWithTransferEncoding) {
            this.contentLengthWithTransferEncoding = contentLengthWithTransferEncoding;
        }
    }

    /** {@code upstream-guard.problem-details.*}: RFC 9457 problem details bodies. */
    public static class ProblemDetails {
        /** Whether errors we make carry an RFC 9457 application/problem+json body. */
        private boolean enabled = true;
        /**
         * Prefix of the problem 'type' URI (an absolute URI); the error token is appended, so the default names the
         * token's section of the error catalogue docs/errors.md. about:blank: every type is about:blank and every
         * title the status phrase (RFC 9457 section 4.2.1).
         */
        private String typeBase = "https://github.com/upstreamguard/upstream-guard/blob/main/docs/errors.md#";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getTypeBase() {
            return typeBase;
        }

        public void setTypeBase(String typeBase) {
            this.typeBase = typeBase;
        }
    }

    /** {@code upstream-guard.request-id.*}: request ids. */
    public static class RequestId {
        /** Request header whose value is echoed as the problem's request_id (generated when absent). */
        private String header = "X-Request-Id";

        public String getHeader() {
            return header;
        }

        public void setHeader(String header) {
            this.header = header;
        }
    }

    /** {@code upstream-guard.retry-after.*}: Retry-After on our own 503 and 429 answers. */
    public static class RetryAfter {
        /** Retry-After on a 503/429 whose cause gives no better estimate, from 1s to 1d. */
        private Duration defaultValue = Duration.ofSeconds(1);

        public Duration getDefault() {
            return defaultValue;
        }

        public void setDefault(Duration defaultValue) {
            this.defaultValue = defaultValue;
        }
    }

    /** {@code upstream-guard.origin-guard.*}: the origin-side guard: this application's own response heads against the budget of the proxy in front. */
    public static class OriginGuard {
        /** Whether this application's own response heads are measured against the front proxy's budget. */
        private boolean enabled = true;
        /** Largest response head the proxy in front accepts (nginx proxy_buffer_size: 4k or 8k), at least 256 bytes. */
        private DataSize headerBudget = DataSize.ofBytes(4096);
        /** What to do when this application's head is over budget or has illegal characters. */
        private OriginGuardAction action = OriginGuardAction.WARN;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public DataSize getHeaderBudget() {
            return headerBudget;
        }

        public void setHeaderBudget(DataSize headerBudget) {
            this.headerBudget = headerBudget;
        }

        public OriginGuardAction getAction() {
            return action;
        }

        public void setAction(OriginGuardAction action) {
            this.action = action;
        }
    }

    /** {@code upstream-guard.concurrency.*}: concurrency limit. */
    public static class Concurrency {
        /** Most requests in flight at once (0: unlimited); over it: 503 connection_limit_reached. */
        private int maxConcurrent = 0;
        /** Smallest Retry-After on a concurrency refusal, at least 1s. */
        private Duration minRetryAfter = Duration.ofSeconds(1);
        /** Largest Retry-After on a concurrency refusal, from 1s to 1d. */
        private Duration maxRetryAfter = Duration.ofSeconds(30);

        public int getMaxConcurrent() {
            return maxConcurrent;
        }

        public void setMaxConcurrent(int maxConcurrent) {
            this.maxConcurrent = maxConcurrent;
        }

        public Duration getMinRetryAfter() {
            return minRetryAfter;
        }

        public void setMinRetryAfter(Duration minRetryAfter) {
            this.minRetryAfter = minRetryAfter;
        }

        public Duration getMaxRetryAfter() {
            return maxRetryAfter;
        }

        public void setMaxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
        }
    }

    /** {@code upstream-guard.rate-limit.*}: per-client rate limit. */
    public static class RateLimit {
        /** Per-client rate limit: 429 with Retry-After and RateLimit-Policy/RateLimit headers. */
        private boolean enabled = false;
        /** The policy name in RateLimit-Policy / RateLimit, 1-32 characters of a-z 0-9 _ -. */
        private String name = "default";
        /** Requests per window per client, 1 to 1000000000. */
        private long limit = 100;
        /** The rate limit's window, a whole number of seconds from 1s to 1d. */
        private Duration window = Duration.ofSeconds(1);
        /** Requests a client may make at once after being idle (0: the same as the limit). */
        private long burst = 0;
        /** What identifies a client: its address, or a request header (falling back to the address). */
        private ClientKeySource key = ClientKeySource.ADDRESS;
        /** The request header that identifies a client (required when key=header). */
        private String keyHeader = null;
        /** IPv6 clients are keyed by this prefix length (1 to 128), so one network's addresses share a limit. */
        private int ipv6PrefixLength = 64;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public long getLimit() {
            return limit;
        }

        public void setLimit(long limit) {
            this.limit = limit;
        }

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }

        public long getBurst() {
            return burst;
        }

        public void setBurst(long burst) {
            this.burst = burst;
        }

        public ClientKeySource getKey() {
            return key;
        }

        public void setKey(ClientKeySource key) {
            this.key = key;
        }

        public String getKeyHeader() {
            return keyHeader;
        }

        public void setKeyHeader(String keyHeader) {
            this.keyHeader = keyHeader;
        }

        public int getIpv6PrefixLength() {
            return ipv6PrefixLength;
        }

        public void setIpv6PrefixLength(int ipv6PrefixLength) {
            this.ipv6PrefixLength = ipv6PrefixLength;
        }
    }

    /** {@code upstream-guard.retry.*}: retries (proxy packagings: the gateway; a servlet application makes its own calls). */
    public static class Retry {
        /** Attempts per request, the first included: 1 (no retries) to 100. */
        private int maxAttempts = 2;
        /** Idempotent methods retried once the request may have reached the upstream (not POST, PATCH, CONNECT). */
        private List<String> methods = new ArrayList<>(List.of("GET", "HEAD", "OPTIONS"));
        /** What is retried: connect-failure (any method), reset, timeout and status (retry.methods with a replayable body only). */
        private List<RetryCondition> conditions = new ArrayList<>(List.of(RetryCondition.CONNECT_FAILURE));
        /** Upstream statuses (400-599) retried for safe requests when retry.conditions has status. */
        private List<Integer> statuses = new ArrayList<>(List.of(502, 503, 504));
        /** Timeout of one attempt, 1ms to 1d (default: the packaging's response timeout). */
        private Duration perTryTimeout = null;
        /** End-to-end deadline of a request, all attempts and backoffs included, 1ms to 1d (default: the response timeout). */
        private Duration deadline = null;
        /** Exponential backoff base (full jitter), up to retry.backoff-cap. */
        private Duration backoffBase = Duration.ofMillis(25);
        /** Backoff cap, up to 1d. */
        private Duration backoffCap = Duration.ofMillis(250);
        /** An upstream Retry-After up to this is waited for; above it the 503 passes through unretried. */
        private Duration retryAfterCap = Duration.ofSeconds(1);
        /** Request bodies up to this size (at most 16MB) are buffered so that they can be replayed. */
        private DataSize maxReplayableBody = DataSize.ofKilobytes(64);
        /** Retry budget: retries at most this share of requests (0.0 to 1.0), plus the floor. */
        private double budgetRatio = 0.2;
        /** Retry budget floor: retries per second always allowed (0 to 1000000). */
        private int budgetMinPerSecond = 10;

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public List<String> getMethods() {
            return methods;
        }

        public void setMethods(List<String> methods) {
            this.methods = methods;
        }

        public List<RetryCondition> getConditions() {
            return conditions;
        }

        public void setConditions(List<RetryCondition> conditions) {
            this.conditions = conditions;
        }

        public List<Integer> getStatuses() {
            return statuses;
        }

        public void setStatuses(List<Integer> statuses) {
            this.statuses = statuses;
        }

        public Duration getPerTryTimeout() {
            return perTryTimeout;
        }

        public void setPerTryTimeout(Duration perTryTimeout) {
            this.perTryTimeout = perTryTimeout;
        }

        public Duration getDeadline() {
            return deadline;
        }

        public void setDeadline(Duration deadline) {
            this.deadline = deadline;
        }

        public Duration getBackoffBase() {
            return backoffBase;
        }

        public void setBackoffBase(Duration backoffBase) {
            this.backoffBase = backoffBase;
        }

        public Duration getBackoffCap() {
            return backoffCap;
        }

        public void setBackoffCap(Duration backoffCap) {
            this.backoffCap = backoffCap;
        }

        public Duration getRetryAfterCap() {
            return retryAfterCap;
        }

        public void setRetryAfterCap(Duration retryAfterCap) {
            this.retryAfterCap = retryAfterCap;
        }

        public DataSize getMaxReplayableBody() {
            return maxReplayableBody;
        }

        public void setMaxReplayableBody(DataSize maxReplayableBody) {
            this.maxReplayableBody = maxReplayableBody;
        }

        public double getBudgetRatio() {
            return budgetRatio;
        }

        public void setBudgetRatio(double budgetRatio) {
            this.budgetRatio = budgetRatio;
        }

        public int getBudgetMinPerSecond() {
            return budgetMinPerSecond;
        }

        public void setBudgetMinPerSecond(int budgetMinPerSecond) {
            this.budgetMinPerSecond = budgetMinPerSecond;
        }
    }

    /** {@code upstream-guard.health.*}: passive health of upstreams (proxy packagings: the gateway). */
    public static class Health {
        /** Passive health: eject an upstream after consecutive gateway failures. */
        private boolean enabled = true;
        /** Gateway failures in a row that eject an upstream, 1 to 1000. */
        private int consecutiveFailures = 5;
        /** First ejection time (1ms to 1d); it doubles with each ejection in a row. */
        private Duration baseEjection = Duration.ofSeconds(30);
        /** Longest ejection time, 1ms to 1d, not below health.base-ejection. */
        private Duration maxEjection = Duration.ofMinutes(5);
        /** Most of a route's upstreams ejected at once, 0 to 100 (never the only upstream of a route). */
        private int maxEjectedPercent = 50;
        /** Whether an upstream's own 5xx answers count as its failures. */
        @Name("count-upstream-5xx") // the core's spelling; the Java name alone would give count-upstream5xx
        private boolean countUpstream5xx = false;
        /** Below this percentage (0 to 100) of a route's upstreams in rotation, ejections are ignored. */
        private int panicThreshold = 50;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getConsecutiveFailures() {
            return consecutiveFailures;
        }

        public void setConsecutiveFailures(int consecutiveFailures) {
            this.consecutiveFailures = consecutiveFailures;
        }

        public Duration getBaseEjection() {
            return baseEjection;
        }

        public void setBaseEjection(Duration baseEjection) {
            this.baseEjection = baseEjection;
        }

        public Duration getMaxEjection() {
            return maxEjection;
        }

        public void setMaxEjection(Duration maxEjection) {
            this.maxEjection = maxEjection;
        }

        public int getMaxEjectedPercent() {
            return maxEjectedPercent;
        }

        public void setMaxEjectedPercent(int maxEjectedPercent) {
            this.maxEjectedPercent = maxEjectedPercent;
        }

        public boolean isCountUpstream5xx() {
            return countUpstream5xx;
        }

        public void setCountUpstream5xx(boolean countUpstream5xx) {
            this.countUpstream5xx = countUpstream5xx;
        }

        public int getPanicThreshold() {
            return panicThreshold;
        }

        public void setPanicThreshold(int panicThreshold) {
            this.panicThreshold = panicThreshold;
        }
    }

    /** {@code upstream-guard.limits.*}: where rate-limit and retry-budget buckets live. */
    public static class Limits {
        /** Where rate-limit and retry-budget buckets live: this JVM, or Redis shared by every instance. */
        private BackendPolicy.Kind backend = BackendPolicy.Kind.MEMORY;
        /** The Redis backend (limits.backend=redis). */
        private final Redis redis = new Redis();

        public BackendPolicy.Kind getBackend() {
            return backend;
        }

        public void setBackend(BackendPolicy.Kind backend) {
            this.backend = backend;
        }

        public Redis getRedis() {
            return redis;
        }
    }

    /** {@code upstream-guard.limits.redis.*}: the Redis limit backend. */
    public static class Redis {
        /** The Redis server, redis://[user:password@]host:port[/db] or rediss://... (required with limits.backend=redis). */
        private String uri = null;
        /** Prefix of every Redis key, 1-64 characters without spaces. */
        private String keyPrefix = "upstream-guard:";
        /** How long a limit decision waits for Redis (1ms to 1m) before the failure mode decides. */
        private Duration timeout = Duration.ofMillis(100);
        /** While Redis fails: allow (fail open) or deny (fail closed); required with limits.backend=redis. */
        private BackendFailureMode failureMode = null;

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public BackendFailureMode getFailureMode() {
            return failureMode;
        }

        public void setFailureMode(BackendFailureMode failureMode) {
            this.failureMode = failureMode;
        }
    }

    /**
     * {@code upstream-guard.circuit-breaker.*}: the opt-in per-route circuit breaker. After failed requests in a
     * row it answers the route's requests 503 destination_unavailable at once, with Retry-After the time left
     * open, without reaching an upstream; then it lets probe requests through.
     */
    public static class CircuitBreaker {
        /** Whether the route's circuit breaker runs (off by default; passive health never takes a route down by itself). */
        private boolean enabled = false;
        /** Failed requests of the route in a row, 1 to 1000, that open the circuit (each request counts once, whatever its attempts). */
        private int failureThreshold = 5;
        /** How long the circuit stays open (1ms to 1d, fixed) before half-open probes are let through. */
        private Duration openDuration = Duration.ofSeconds(30);
        /** Requests let through while half-open, 1 to 1000; the first to succeed closes the circuit, the first to fail reopens it. */
        private int halfOpenProbes = 1;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getFailureThreshold() {
            return failureThreshold;
        }

        public void setFailureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

        public Duration getOpenDuration() {
            return openDuration;
        }

        public void setOpenDuration(Duration openDuration) {
            this.openDuration = openDuration;
        }

        public int getHalfOpenProbes() {
            return halfOpenProbes;
        }

        public void setHalfOpenProbes(int halfOpenProbes) {
            this.halfOpenProbes = halfOpenProbes;
        }
    }
}
