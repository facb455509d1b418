package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.admission.ClientKeySource;
import dev.upstreamguard.core.admission.ConcurrencyPolicy;
import dev.upstreamguard.core.admission.RateLimitPolicy;
import dev.upstreamguard.core.health.PassiveHealthPolicy;
import dev.upstreamguard.core.limits.BackendFailureMode;
import dev.upstreamguard.core.limits.BackendPolicy;
import dev.upstreamguard.core.retry.RetryPolicy;
import dev.upstreamguard.core.diagnostics.CidrSet;
import dev.upstreamguard.core.diagnostics.Exposure;
import dev.upstreamguard.core.diagnostics.ExposurePolicy;
import dev.upstreamguard.core.validate.ContentLengthWithTransferEncoding;
import dev.upstreamguard.core.validate.ObsFoldHandling;
import dev.upstreamguard.core.validate.ValidationPolicy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Binds string key/values — servlet init-params, Jetty {@code .ini} properties, Spring properties — to a
 * {@link GuardPolicy}. The one framework-neutral mapping every packaging shares, so a property means the
 * same thing everywhere.
 *
 * <p>Keys are kebab-case and, for error statuses, end in an RFC 9209 token ({@code status.connection_timeout}).
 * Every value is checked; the first bad one fails with a {@link ConfigurationException} that names the
 * full key (prefix included), the value and what is accepted. Unknown keys under the prefix fail too, so a
 * typo never silently falls back to a default.
 */
public final class PolicyBinder {

    /** One property: its key (without prefix), its default as text, what it accepts and what it does. */
    public record PropertyInfo(String key, String defaultValue, String accepted, String description) {
    }

    @FunctionalInterface
    private interface Applier {
        void apply(GuardPolicy.Builder builder, Settings settings, String value);
    }

    private record Property(PropertyInfo info, Applier applier) {
    }

    /** Values that feed composite policies (validation, exposure, origin guard) before they are built. */
    private static final class Settings {
        Exposure exposure = ExposurePolicy.defaults().exposure();
        CidrSet trusted = ExposurePolicy.defaults().trusted();
        int maxHeaderSize = ValidationPolicy.DEFAULT_MAX_HEADER_SIZE;
        int maxHeaderSectionSize = ValidationPolicy.DEFAULT_MAX_HEADER_SECTION_SIZE;
        int maxHeaderCount = ValidationPolicy.DEFAULT_MAX_HEADER_COUNT;
        ObsFoldHandling obsFold = ObsFoldHandling.REJECT;
        ContentLengthWithTransferEncoding clWithTe = ContentLengthWithTransferEncoding.REJECT;
        boolean originEnabled = true;
        int originBudget = OriginGuardPolicy.DEFAULT_HEADER_BUDGET;
        OriginGuardAction originAction = OriginGuardAction.WARN;
        int maxConcurrent = ConcurrencyPolicy.defaults().maxConcurrent();
        Duration concurrencyMinRetryAfter = ConcurrencyPolicy.defaults().minRetryAfter();
        Duration concurrencyMaxRetryAfter = ConcurrencyPolicy.defaults().maxRetryAfter();
        RateLimitPolicy rate = RateLimitPolicy.defaults();
        boolean rateEnabled = rate.enabled();
        String rateName = rate.name();
        long rateLimit = rate.limit();
        Duration rateWindow = rate.window();
        long rateBurst = 0;
        ClientKeySource rateKey = rate.keySource();
        String rateKeyHeader = rate.keyHeader();
        int rateIpv6Prefix = rate.ipv6PrefixLength();
        RetryPolicy retry = RetryPolicy.defaults();
        int retryMaxAttempts = retry.maxAttempts();
        java.util.Set<String> retryMethods = retry.retryableMethods();
        java.util.Set<Integer> retryStatuses = retry.retryOnStatuses();
        Duration retryPerTry = retry.perTryTimeout();
        Duration retryDeadline = retry.overallDeadline();
        Duration retryBackoffBase = retry.backoffBase();
        Duration retryBackoffCap = retry.backoffCap();
        Duration retryAfterCap = retry.retryAfterCap();
        int retryMaxBody = retry.maxReplayableBodyBytes();
        double retryBudgetRatio = retry.budgetRatio();
        int retryBudgetMin = retry.budgetMinPerSecond();
        java.util.Set<dev.upstreamguard.core.retry.RetryCondition> retryOn = retry.retryOn();
        PassiveHealthPolicy health = PassiveHealthPolicy.defaults();
        boolean healthEnabled = health.enabled();
        int healthFailures = health.consecutiveFailures();
        Duration healthBase = health.baseEjection();
        Duration healthMax = health.maxEjection();
        int healthPercent = health.maxEjectedPercent();
        boolean health5xx = health.countUpstream5xx();
        int healthPanic = health.panicThresholdPercent();
        BackendPolicy.Kind backendKind = BackendPolicy.Kind.MEMORY;
        String redisUri;
        String redisKeyPrefix = BackendPolicy.DEFAULT_KEY_PREFIX;
        Duration redisTimeout = BackendPolicy.DEFAULT_TIMEOUT;
        BackendFailureMode redisFailureMode;
        CircuitBreakerPolicy breaker;
        final Map<String, String> raw = new java.util.HashMap<>();

        /** Starts every composite value from {@code base}, so that binding adds to it instead of resetting it. */
        Settings(GuardPolicy base) {
            exposure = base.exposure().exposure();
            trusted = base.exposure().trusted();
            ValidationPolicy v = base.validation();
            maxHeaderSize = v.maxHeaderSize();
            maxHeaderSectionSize = v.maxHeaderSectionSize();
            maxHeaderCount = v.maxHeaderCount();
            obsFold = v.obsFold();
            clWithTe = v.contentLengthWithTransferEncoding();
            originEnabled = base.originGuard().enabled();
            originBudget = base.originGuard().headerBudget();
            originAction = base.originGuard().action();
            maxConcurrent = base.concurrency().maxConcurrent();
            concurrencyMinRetryAfter = base.concurrency().minRetryAfter();
            concurrencyMaxRetryAfter = base.concurrency().maxRetryAfter();
            RateLimitPolicy r = base.rateLimit();
            rateEnabled = r.enabled();
            rateName = r.name();
            rateLimit = r.limit();
            rateWindow = r.window();
            rateBurst = r.burst() == r.limit() ? 0 : r.burst();   // "same as the limit" stays so
            rateKey = r.keySource();
            rateKeyHeader = r.keyHeader();
            rateIpv6Prefix = r.ipv6PrefixLength();
            RetryPolicy t = base.retry();
            retryMaxAttempts = t.maxAttempts();
            retryMethods = t.retryableMethods();
            retryStatuses = t.retryOnStatuses();
            retryPerTry = t.perTryTimeout();
            retryDeadline = t.overallDeadline();
            retryBackoffBase = t.backoffBase();
            retryBackoffCap = t.backoffCap();
            retryAfterCap = t.retryAfterCap();
            retryMaxBody = t.maxReplayableBodyBytes();
            retryBudgetRatio = t.budgetRatio();
            retryBudgetMin = t.budgetMinPerSecond();
            retryOn = t.retryOn();
            PassiveHealthPolicy h = base.health();
            healthEnabled = h.enabled();
            healthFailures = h.consecutiveFailures();
            healthBase = h.baseEjection();
            healthMax = h.maxEjection();
            healthPercent = h.maxEjectedPercent();
            health5xx = h.countUpstream5xx();
            healthPanic = h.panicThresholdPercent();
            BackendPolicy b = base.limitsBackend();
            backendKind = b.kind();
            redisUri = b.redisUri();
            redisKeyPrefix = b.keyPrefix();
            redisTimeout = b.timeout();
            redisFailureMode = b.failureMode();
            breaker = base.circuitBreaker();
        }
    }

    /** RetryPolicy's field names (in its messages) to our property keys, for cross-field errors. */
    private static final Map<String, String> RETRY_FIELDS = Map.ofEntries(
            Map.entry("RetryPolicy.maxAttempts", "retry.max-attempts"),
            Map.entry("RetryPolicy.retryableMethods", "retry.methods"),
            Map.entry("RetryPolicy.retryOnStatuses", "retry.statuses"),
            Map.entry("RetryPolicy.perTryTimeout", "retry.per-try-timeout"),
            Map.entry("RetryPolicy.overallDeadline", "retry.deadline"),
            Map.entry("RetryPolicy.backoffBase", "retry.backoff-base"),
            Map.entry("RetryPolicy.backoffCap", "retry.backoff-cap"),
            Map.entry("RetryPolicy.retryAfterCap", "retry.retry-after-cap"),
            Map.entry("RetryPolicy.maxReplayableBodyBytes", "retry.max-replayable-body"),
            Map.entry("RetryPolicy.budgetRatio", "retry.budget-ratio"),
            Map.entry("RetryPolicy.budgetMinPerSecond", "retry.budget-min-per-second"),
            Map.entry("RetryPolicy.retryOn", "retry.conditions"));

    /** Properties whose empty value means "none" rather than a missing value. */
    private static final java.util.Set<String> EMPTY_MEANS_NONE = java.util.Set.of("exposure.trusted-cidrs");
    private static final java.util.Set<String> REDIS_SCHEMES = java.util.Set.of("redis", "rediss");

    private static final String STATUS_PREFIX = "status.";
    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})\\s*(|b|k|kb|kib|m|mb|mib)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private static final Map<String, Property> PROPERTIES = properties(
            prop("proxy-status.member-name", GuardPolicy.DEFAULT_MEMBER_NAME,
                    "an RFC 8941 token (letter or '*' first)",
                    "Our member name in Proxy-Status (RFC 9209 §2).",
                    (b, s, v) -> b.memberName(v)),
            prop("exposure.mode", "trusted", "one of " + names(Exposure.values()),
                    "Who sees the Proxy-Status 'details' and 'next-hop' parameters and the detailed problem text.",
                    (b, s, v) -> s.exposure = enumValue(Exposure.class, v)),
            prop("exposure.trusted-cidrs", "(none)",
                    "a comma-separated list of IPv4/IPv6 addresses or CIDR blocks (literals only), or empty for none",
                    "Client addresses that count as trusted when exposure.mode=trusted (none by default; loopback is"
                            + " 127.0.0.0/8,::1/128).",
                    (b, s, v) -> s.trusted = cidrs(v)),
            prop("validation.max-header-size", String.valueOf(ValidationPolicy.DEFAULT_MAX_HEADER_SIZE),
                    "a size in bytes such as 8192, 8k or 8KiB",
                    "Largest single upstream response header field ('name: value' + CRLF).",
                    (b, s, v) -> s.maxHeaderSize = size(v)),
            prop("validation.max-header-section-size", String.valueOf(ValidationPolicy.DEFAULT_MAX_HEADER_SECTION_SIZE),
                    "a size in bytes such as 32768, 32k or 32KiB",
                    "Largest upstream response head (status line, fields, final CRLF).",
                    (b, s, v) -> s.maxHeaderSectionSize = size(v)),
            prop("validation.max-header-count", String.valueOf(ValidationPolicy.DEFAULT_MAX_HEADER_COUNT),
                    "a positive whole number",
                    "Most fields an upstream response head may have.",
                    (b, s, v) -> s.maxHeaderCount = positiveInt(v)),
            prop("validation.obs-fold", "reject", "one of " + names(ObsFoldHandling.values()),
                    "Line folding in an upstream header value: reject it, or replace it with a space (RFC 9112 §5.2).",
                    (b, s, v) -> s.obsFold = enumValue(ObsFoldHandling.class, v)),
            prop("validation.content-length-with-transfer-encoding", "reject",
                    "one of " + names(ContentLengthWithTransferEncoding.values()),
                    "An upstream response with both Transfer-Encoding and Content-Length: reject it, or drop"
                            + " Content-Length (RFC 9112 §6.3).",
                    (b, s, v) -> s.clWithTe = enumValue(ContentLengthWithTransferEncoding.class, v)),
            prop("problem-details.enabled", "true", "true or false",
                    "Whether proxy-made errors carry an RFC 9457 application/problem+json body.",
                    (b, s, v) -> b.problemDetails(bool(v))),
            prop("problem-details.type-base", "https://upstreamguard.dev/problems/", "an absolute URI",
                    "Prefix of the problem 'type' URI; the error token is appended.",
                    (b, s, v) -> b.problemTypeBase(v)),
            prop("request-id.header", GuardPolicy.DEFAULT_REQUEST_ID_HEADER, "an HTTP field name",
                    "Request header whose value is echoed as the problem's request_id (generated when absent).",
                    (b, s, v) -> b.requestIdHeader(v)),
            prop("retry-after.default", "1s", "a duration from 1s to 1d such as 2s, 1m or PT30S",
                    "Retry-After on a 503/429 whose cause gives no better estimate.",
                    (b, s, v) -> b.defaultRetryAfter(duration(v))),
            prop("origin-guard.enabled", "true", "true or false",
                    "Whether this application's own response heads are measured against the front proxy's budget.",
                    (b, s, v) -> s.originEnabled = bool(v)),
            prop("origin-guard.header-budget", String.valueOf(OriginGuardPolicy.DEFAULT_HEADER_BUDGET),
                    "a size in bytes of at least " + OriginGuardPolicy.MIN_HEADER_BUDGET + ", such as 4096, 4k or 8KiB",
                    "Largest response head the proxy in front accepts (nginx proxy_buffer_size: 4k or 8k).",
                    (b, s, v) -> s.originBudget = size(v)),
            prop("origin-guard.action", "warn", "one of " + names(OriginGuardAction.values()),
                    "What to do when this application's head is over budget or has illegal characters.",
                    (b, s, v) -> s.originAction = enumValue(OriginGuardAction.class, v)),
            prop("concurrency.max-concurrent", "0", "a whole number from 0 (unlimited) up",
                    "Most requests in flight at once per route (filter); over it: 503 connection_limit_reached.",
                    (b, s, v) -> s.maxConcurrent = nonNegativeInt(v)),
            prop("concurrency.min-retry-after", "1s", "a duration from 1s to 1d",
                    "Smallest Retry-After on a concurrency refusal (it is computed from recent request durations).",
                    (b, s, v) -> s.concurrencyMinRetryAfter = atMost(atLeast(duration(v), Duration.ofSeconds(1)), Duration.ofDays(1))),
            prop("concurrency.max-retry-after", "30s", "a duration from 1s to 1d, not below concurrency.min-retry-after",
                    "Largest Retry-After on a concurrency refusal.",
                    (b, s, v) -> s.concurrencyMaxRetryAfter = atMost(atLeast(duration(v), Duration.ofSeconds(1)), Duration.ofDays(1))),
            prop("rate-limit.enabled", "false", "true or false",
                    "Per-client rate limit: 429 with Retry-After and RateLimit-Policy/RateLimit headers.",
                    (b, s, v) -> s.rateEnabled = bool(v)),
            prop("rate-limit.name", RateLimitPolicy.DEFAULT_NAME, "1-32 characters of a-z 0-9 _ -",
                    "The policy name in RateLimit-Policy / RateLimit.",
                    (b, s, v) -> s.rateName = matching(v, "[a-z0-9_-]{1,32}")),
            prop("rate-limit.limit", String.valueOf(RateLimitPolicy.DEFAULT_LIMIT), "a whole number from 1 to 1000000000",
                    "Requests per window per client.",
                    (b, s, v) -> s.rateLimit = inRange(Long.parseLong(v), 1, RateLimitPolicy.MAX_TOKENS)),
            prop("rate-limit.window", "1s", "a whole number of seconds from 1s to 1d",
                    "The rate limit's window.",
                    (b, s, v) -> s.rateWindow = wholeSeconds(duration(v), RateLimitPolicy.MAX_WINDOW)),
            prop("rate-limit.burst", "0", "0 (same as rate-limit.limit) or a whole number up to 1000000000",
                    "Requests a client may make at once after being idle.",
                    (b, s, v) -> s.rateBurst = inRange(Long.parseLong(v), 0, RateLimitPolicy.MAX_TOKENS)),
            prop("rate-limit.key", "address", "one of " + names(ClientKeySource.values()),
                    "What identifies a client: its address, or a request header (falling back to the address).",
                    (b, s, v) -> s.rateKey = enumValue(ClientKeySource.class, v)),
            prop("rate-limit.key-header", "(none)", "an HTTP field name; required when rate-limit.key=header",
                    "The request header that identifies a client.",
                    (b, s, v) -> s.rateKeyHeader = matching(v, "[!#$%&'*+.^_`|~0-9A-Za-z-]+")),
            prop("rate-limit.ipv6-prefix-length", String.valueOf(RateLimitPolicy.DEFAULT_IPV6_PREFIX_LENGTH),
                    "a whole number from 1 to 128",
                    "IPv6 clients are keyed by this many leading bits (one subscriber holds a /64); IPv4-mapped"
                            + " addresses count as IPv4.",
                    (b, s, v) -> s.rateIpv6Prefix = (int) inRange(Integer.parseInt(v), 1, 128)),
            prop("retry.max-attempts", String.valueOf(RetryPolicy.DEFAULT_MAX_ATTEMPTS), "1 (no retries) to 100",
                    "Attempts per request, the first included (proxy packagings).",
                    (b, s, v) -> s.retryMaxAttempts = (int) inRange(Integer.parseInt(v), 1, RetryPolicy.MAX_ATTEMPTS_LIMIT)),
            prop("retry.methods", "GET,HEAD,OPTIONS", "a comma-separated list of idempotent methods (not POST, PATCH, CONNECT)",
                    "Methods retried once the request may have reached the upstream (any method is retried when it never left).",
                    (b, s, v) -> s.retryMethods = csv(v)),
            prop("retry.conditions", "connect-failure", "a comma-separated list of connect-failure, reset, timeout, status",
                    "What is retried: connect-failure (never reached the upstream; any method), reset, timeout and status (may have been received; retry.methods with a replayable body only).",
                    (b, s, v) -> s.retryOn = retryConditions(v)),
            prop("retry.statuses", "502,503,504", "a comma-separated list of statuses from 400 to 599",
                    "Upstream statuses that are retried for safe requests when retry.conditions has status.",
                    (b, s, v) -> s.retryStatuses = statuses(v)),
            prop("retry.per-try-timeout", "(none)", "a duration from 1ms to 1d, up to retry.deadline when set",
                    "Timeout of one attempt (default: the packaging's response timeout).",
                    (b, s, v) -> s.retryPerTry = duration(v)),
            prop("retry.deadline", "(the response timeout)", "a duration from 1ms to 1d",
                    "End-to-end deadline of a request, all attempts and backoffs included (default: the route's response timeout).",
                    (b, s, v) -> s.retryDeadline = duration(v)),
            prop("retry.backoff-base", "25ms", "a duration up to retry.backoff-cap",
                    "Exponential backoff base (full jitter: random(0, min(cap, base * 2^(n-1)))).",
                    (b, s, v) -> s.retryBackoffBase = duration(v)),
            prop("retry.backoff-cap", "250ms", "a duration up to 1d",
                    "Backoff cap.",
                    (b, s, v) -> s.retryBackoffCap = duration(v)),
            prop("retry.retry-after-cap", "1s", "a duration up to 1d",
                    "An upstream Retry-After up to this is waited for; above it the 503 passes through unretried.",
                    (b, s, v) -> s.retryAfterCap = duration(v)),
            prop("retry.max-replayable-body", "64k", "a size up to 16MiB",
                    "Request bodies up to this size are buffered so that they can be replayed.",
                    (b, s, v) -> s.retryMaxBody = size0(v)),
            prop("retry.budget-ratio", String.valueOf(RetryPolicy.DEFAULT_BUDGET_RATIO), "a number from 0.0 to 1.0",
                    "Retry budget: retries at most this share of requests (plus the floor).",
                    (b, s, v) -> s.retryBudgetRatio = ratio(v)),
            prop("retry.budget-min-per-second", String.valueOf(RetryPolicy.DEFAULT_BUDGET_MIN_PER_SECOND),
                    "a whole number from 0 to 1000000",
                    "Retry budget floor: retries per second always allowed.",
                    (b, s, v) -> s.retryBudgetMin = (int) inRange(Integer.parseInt(v), 0, RetryPolicy.MAX_BUDGET_MIN_PER_SECOND)),
            prop("health.enabled", "true", "true or false",
                    "Passive health: eject an upstream after consecutive gateway failures (proxy packagings).",
                    (b, s, v) -> s.healthEnabled = bool(v)),
            prop("health.consecutive-failures", String.valueOf(PassiveHealthPolicy.DEFAULT_CONSECUTIVE_FAILURES),
                    "a whole number from 1 to 1000",
                    "Gateway failures in a row that eject an upstream.",
                    (b, s, v) -> s.healthFailures = (int) inRange(Integer.parseInt(v), 1, PassiveHealthPolicy.MAX_CONSECUTIVE_FAILURES)),
            prop("health.base-ejection", "30s", "a duration from 1ms to 1d",
                    "First ejection time; it doubles with each ejection in a row.",
                    (b, s, v) -> s.healthBase = atMost(atLeast(duration(v), Duration.ofMillis(1)), Duration.ofDays(1))),
            prop("health.max-ejection", "5m", "a duration from 1ms to 1d, not below health.base-ejection",
                    "Longest ejection time.",
                    (b, s, v) -> s.healthMax = atMost(atLeast(duration(v), Duration.ofMillis(1)), Duration.ofDays(1))),
            prop("health.max-ejected-percent", String.valueOf(PassiveHealthPolicy.DEFAULT_MAX_EJECTED_PERCENT),
                    "a whole number from 0 to 100",
                    "Most of a route's upstreams ejected at once (at least one; never the only upstream of a route).",
                    (b, s, v) -> s.healthPercent = (int) inRange(Integer.parseInt(v), 0, 100)),
            prop("health.count-upstream-5xx", "false", "true or false",
                    "Whether an upstream's own 5xx answers count as its failures.",
                    (b, s, v) -> s.health5xx = bool(v)),
            prop("health.panic-threshold", String.valueOf(PassiveHealthPolicy.DEFAULT_PANIC_THRESHOLD_PERCENT),
                    "a whole number from 0 to 100",
                    "Below this percentage of a route's upstreams in rotation, ejections are ignored and all take traffic.",
                    (b, s, v) -> s.healthPanic = (int) inRange(Integer.parseInt(v), 0, 100)),
            prop("limits.backend", "memory", "one of " + names(BackendPolicy.Kind.values()),
                    "Where rate-limit and retry-budget buckets live: this JVM, or Redis shared by every instance.",
                    (b, s, v) -> s.backendKind = enumValue(BackendPolicy.Kind.class, v)),
            prop("limits.redis.uri", "(none)", "redis://[user:password@]host:port[/db] or rediss://…",
                    "The Redis server (required with limits.backend=redis).",
                    (b, s, v) -> s.redisUri = redisUri(v)),
            prop("limits.redis.key-prefix", BackendPolicy.DEFAULT_KEY_PREFIX, "1-64 characters without spaces",
                    "Prefix of every Redis key.",
                    (b, s, v) -> s.redisKeyPrefix = matching(v, "\\S{1,64}")),
            prop("limits.redis.timeout", "100ms", "a duration from 1ms to 1m",
                    "How long a limit decision waits for Redis before the failure mode decides.",
                    (b, s, v) -> s.redisTimeout = atMost(atLeast(duration(v), Duration.ofMillis(1)), Duration.ofMinutes(1))),
            prop("limits.redis.failure-mode", "(none)", "allow or deny; required with limits.backend=redis",
                    "While Redis fails: allow (fail open) or deny (fail closed). Logged and counted either way.",
                    (b, s, v) -> s.redisFailureMode = enumValue(BackendFailureMode.class, v)),
            prop("circuit-breaker.enabled", "false", "true or false",
                    "Opt-in circuit breaker: after failed requests in a row, answer the route's requests 503 at once"
                            + " (Retry-After: the time left open) without reaching an upstream.",
                    (b, s, v) -> s.breaker = s.breaker.withEnabled(bool(v))),
            prop("circuit-breaker.failure-threshold", String.valueOf(CircuitBreakerPolicy.DEFAULT_FAILURE_THRESHOLD),
                    "a whole number from 1 to 1000",
                    "Failed requests of the route in a row (each counted once, whatever its attempts) that open the circuit.",
                    (b, s, v) -> s.breaker = s.breaker.withFailureThreshold((int) inRange(Integer.parseInt(v), 1,
                            CircuitBreakerPolicy.MAX_FAILURE_THRESHOLD))),
            prop("circuit-breaker.open-duration", "30s", "a duration from 1ms to 1d",
                    "How long the circuit stays open (fixed, it does not grow) before half-open probes are let through.",
                    (b, s, v) -> s.breaker = s.breaker.withOpenDuration(duration(v))),
            prop("circuit-breaker.half-open-probes", String.valueOf(CircuitBreakerPolicy.DEFAULT_HALF_OPEN_PROBES),
                    "a whole number from 1 to 1000",
                    "Requests let through while half-open; the first to succeed closes the circuit, the first to fail reopens it.",
                    (b, s, v) -> s.breaker = s.breaker.withHalfOpenProbes((int) inRange(Integer.parseInt(v), 1,
                            CircuitBreakerPolicy.MAX_HALF_OPEN_PROBES))));

    private PolicyBinder() {
    }

    /** Binds keys without a prefix (e.g. servlet init-params). */
    public static GuardPolicy bind(Map<String, String> properties) {
        return bind(properties, "", key -> false);
    }

    /**
     * Binds the keys that start with {@code prefix} (e.g. {@code "upstream-guard."}); other keys are
     * ignored. Keys under the prefix for which {@code foreign} is true belong to the caller (a packaging's
     * own settings such as routes) and are skipped; any other unknown key fails.
     */
    public static GuardPolicy bind(Map<String, String> properties, String prefix, Predicate<String> foreign) {
        return bind(GuardPolicy.defaults(), properties, prefix, foreign);
    }

    /**
     * Like {@link #bind(Map, String, Predicate)}, on top of {@code base}: what the properties don't name keeps
     * its value in {@code base} (e.g. a route's overrides bound on top of the global policy).
     */
    public static GuardPolicy bind(GuardPolicy base, Map<String, String> properties, String prefix,
                                   Predicate<String> foreign) {
        GuardPolicy.Builder builder = GuardPolicy.from(base);
        Settings settings = new Settings(base);
        for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String key = e.getKey().substring(prefix.length());
            if (foreign.test(key)) {
                continue;
            }
            String value = e.getValue() == null ? null : e.getValue().trim();
            apply(builder, settings, prefix, key, value);
        }
        try {
            builder.exposure(new ExposurePolicy(settings.exposure, settings.trusted));
        } catch (IllegalArgumentException ex) {
            throw new ConfigurationException(prefix + "exposure.mode", settings.exposure.name().toLowerCase(Locale.ROOT),
                    ex.getMessage());
        }
        builder.validation(crossField(prefix, settings, "validation.", () -> new ValidationPolicy(settings.maxHeaderSize,
                settings.maxHeaderSectionSize, settings.maxHeaderCount, settings.obsFold, settings.clWithTe)));
        builder.originGuard(crossField(prefix, settings, "origin-guard.",
                () -> new OriginGuardPolicy(settings.originEnabled, settings.originBudget, settings.originAction)));
        ConcurrencyPolicy concurrency = crossField(prefix, settings, "concurrency.",
                () -> new ConcurrencyPolicy(settings.maxConcurrent,
                        settings.concurrencyMinRetryAfter, settings.concurrencyMaxRetryAfter));
        builder.concurrency(concurrency);
        // each value was range-checked on its own; what is left to fail is rate-limit.key vs rate-limit.key-header
        builder.rateLimit(composite(prefix, "rate-limit.key-header", settings.rateKeyHeader,
                () -> new RateLimitPolicy(settings.rateEnabled, settings.rateName, settings.rateLimit, settings.rateWindow,
                        settings.rateBurst, settings.rateKey, settings.rateKeyHeader, settings.rateIpv6Prefix)));
        try {
            builder.retry(new RetryPolicy(settings.retryMaxAttempts, settings.retryMethods, settings.retryStatuses,
                    settings.retryPerTry, settings.retryDeadline, settings.retryBackoffBase, settings.retryBackoffCap,
                    settings.retryAfterCap, settings.retryMaxBody, settings.retryBudgetRatio, settings.retryBudgetMin,
                    settings.retryOn));
        } catch (IllegalArgumentException ex) {
            String message = String.valueOf(ex.getMessage());
            String key = RETRY_FIELDS.entrySet().stream().filter(e -> message.contains(e.getKey() + " "))
                    .map(Map.Entry::getValue).findFirst().orElse("retry.*");
            Property property = PROPERTIES.get(key);
            throw new ConfigurationException(prefix + key, settings.raw.get(key),
                    (property == null ? "" : property.info().accepted() + "; ") + message);
        }
        builder.health(crossField(prefix, settings, "health.",
                () -> new PassiveHealthPolicy(settings.healthEnabled, settings.healthFailures, settings.healthBase,
                        settings.healthMax, settings.healthPercent, settings.health5xx, settings.healthPanic)));
        if (settings.backendKind == BackendPolicy.Kind.REDIS && settings.redisUri == null) {
            throw new ConfigurationException(prefix + "limits.redis.uri", null, "required with limits.backend=redis: "
                    + PROPERTIES.get("limits.redis.uri").info().accepted());
        }
        if (settings.backendKind == BackendPolicy.Kind.REDIS && settings.redisFailureMode == null) {
            throw new ConfigurationException(prefix + "limits.redis.failure-mode", null,
                    "allow or deny, required with limits.backend=redis: what limits do while Redis fails is an explicit choice");
        }
        builder.limitsBackend(new BackendPolicy(settings.backendKind, settings.redisUri, settings.redisKeyPrefix,
                settings.redisTimeout, settings.redisFailureMode));
        builder.circuitBreaker(settings.breaker);
        return builder.build();
    }

    /**
     * Builds a composite policy whose constructor checks values across properties; a rejection names
     * {@code key} (the property most likely at fault) and the constructor's own explanation.
     */
    private static <T> T composite(String prefix, String key, Object value, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException ex) {
            Property property = PROPERTIES.get(key);
            throw new ConfigurationException(prefix + key, value == null ? null : String.valueOf(value),
                    (property == null ? "" : property.info().accepted() + "; ") + ex.getMessage());
        }
    }

    /**
     * Builds a composite policy whose constructor checks values against each other. Its message names
     * fields in camelCase ({@code maxEjection must be at least baseEjection …}); each is the property of
     * {@code group} with that name in kebab-case ({@code health.max-ejection}). The rejection names the
     * property the message is about — or, when that one was not set here, another property the message
     * names that was (e.g. {@code health.base-ejection=10m} over the default maximum) — with the value as
     * written, and the message with field names turned into property keys.
     */
    private static <T> T crossField(String prefix, Settings settings, String group, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException ex) {
            String message = String.valueOf(ex.getMessage());
            Map<Integer, String> named = new TreeMap<>(); // position in the message -> property
            Map<String, String> fieldToKey = new LinkedHashMap<>();
            for (String key : PROPERTIES.keySet()) {
                if (key.startsWith(group)) {
                    String field = camel(key.substring(group.length()));
                    Matcher m = Pattern.compile("\\b" + field + "\\b").matcher(message);
                    if (m.find()) {
                        named.put(m.start(), key);
                        fieldToKey.put(field, key);
                    }
                }
            }
            // the property the message is about if set here, else one it names that is, else one of the group that is
            String about = named.isEmpty() ? group + "*" : named.values().iterator().next();
            String key = Stream.concat(Stream.of(about), Stream.concat(named.values().stream(),
                            PROPERTIES.keySet().stream().filter(k -> k.startsWith(group))))
                    .filter(settings.raw::containsKey).findFirst().orElse(about);
            String reason = message;
            for (Map.Entry<String, String> f : fieldToKey.entrySet()) {
                reason = reason.replaceAll("\\b" + f.getKey() + "\\b", prefix + f.getValue());
            }
            Property property = PROPERTIES.get(key);
            throw new ConfigurationException(prefix + key, settings.raw.get(key),
                    (property == null ? "" : property.info().accepted() + "; ") + reason);
        }
    }

    /** {@code max-ejected-percent} → {@code maxEjectedPercent}. */
    private static String camel(String kebab) {
        StringBuilder out = new StringBuilder(kebab.length());
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** Every property this binder knows, in documentation order ({@code status.<token>} described once). */
    public static List<PropertyInfo> properties() {
        List<PropertyInfo> all = new ArrayList<>();
        PROPERTIES.values().forEach(p -> all.add(p.info()));
        all.add(new PropertyInfo(STATUS_PREFIX + "<error-type>", "RFC 9209's recommendation",
                "500-599 (400-599 for http_request_error and http_request_denied)",
                "Status for one RFC 9209 error type, e.g. status.connection_timeout=502."));
        return Collections.unmodifiableList(all);
    }

    private static void apply(GuardPolicy.Builder builder, Settings settings, String prefix, String key, String value) {
        if (key.startsWith(STATUS_PREFIX)) {
            String token = key.substring(STATUS_PREFIX.length());
            ErrorType type = ErrorType.fromToken(token).orElseThrow(() -> new ConfigurationException(prefix + key, value,
                    "a key status.<error-type> where <error-type> is an RFC 9209 token: "
                            + Stream.of(ErrorType.values()).map(ErrorType::token).collect(Collectors.joining(", "))));
            try {
                builder.status(type, Integer.parseInt(value));
            } catch (IllegalArgumentException ex) {
                boolean request = type == ErrorType.HTTP_REQUEST_ERROR || type == ErrorType.HTTP_REQUEST_DENIED;
                throw new ConfigurationException(prefix + key, value, request ? "a status from 400 to 599" : "a status from 500 to 599");
            }
            return;
        }
        Property property = PROPERTIES.get(key);
        if (property == null) {
            throw new ConfigurationException(prefix + key, value, "no such property; known: "
                    + PROPERTIES.keySet().stream().map(k -> prefix + k).collect(Collectors.joining(", "))
                    + ", " + prefix + STATUS_PREFIX + "<error-type>");
        }
        if (value == null || (value.isEmpty() && !EMPTY_MEANS_NONE.contains(key))) {
            throw new ConfigurationException(prefix + key, value, property.info().accepted());
        }
        settings.raw.put(key, value);
        try {
            property.applier().apply(builder, settings, value);
        } catch (IllegalArgumentException | DateTimeParseException ex) {
            String reason = ex instanceof Rejection ? "; " + ex.getMessage() : "";
            throw new ConfigurationException(prefix + key, masked(key, value), property.info().accepted() + reason);
        }
    }

    private static Property prop(String key, String defaultValue, String accepted, String description, Applier applier) {
        return new Property(new PropertyInfo(key, defaultValue, accepted, description), applier);
    }

    private static Map<String, Property> properties(Property... properties) {
        Map<String, Property> map = new LinkedHashMap<>();
        for (Property p : properties) {
            map.put(p.info().key(), p);
        }
        return Collections.unmodifiableMap(map);
    }

    private static String names(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> kebab(v.name())).collect(Collectors.joining(", "));
    }

    private static String kebab(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Accepts kebab-case or constant case, any letter case: {@code replace-with-space}, {@code REPLACE_WITH_SPACE}. */
    static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (kebab(constant.name()).equalsIgnoreCase(value.replace('_', '-'))) {
                return constant;
            }
        }
        throw new IllegalArgumentException(value);
    }

    static boolean bool(String value) {
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        throw new IllegalArgumentException(value);
    }

    /** A URI's user info never reaches a message or a log. */
    private static String masked(String key, String value) {
        if (!key.endsWith(".uri") || value == null || value.lastIndexOf('@') < 0) {
            return value;
        }
        int at = value.lastIndexOf('@');
        int slashes = value.indexOf("//");
        int start = slashes >= 0 && slashes < at ? slashes + 2 : value.indexOf(':') + 1;
        return start > at ? "***" + value.substring(at) : value.substring(0, start) + "***" + value.substring(at);
    }

    /** A rejected value with a reason worth adding to what the property accepts. */
    private static final class Rejection extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Rejection(String reason) {
            super(reason);
        }
    }

    /** {@link CidrSet#parse}, keeping its reason (which entry, and what is wrong with it). */
    static CidrSet cidrs(String value) {
        try {
            return CidrSet.parse(value);
        } catch (IllegalArgumentException ex) {
            throw new Rejection(ex.getMessage());
        }
    }

    /**
     * A Redis URI checked for its syntax only (RFC 3986 through {@link java.net.URI}; the core does not
     * depend on a Redis client): scheme redis or rediss, a host, a port from 1 to 65535 when given. The
     * reasons never quote the URI, so a password cannot leak into them.
     */
    static String redisUri(String value) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(value);
        } catch (java.net.URISyntaxException ex) {
            throw new Rejection("not a URI (" + ex.getReason() + " at index " + ex.getIndex() + ")");
        }
        if (uri.getScheme() == null || !REDIS_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw new Rejection("the scheme must be redis or rediss");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            Matcher port = Pattern.compile(":(\\d+)(?:[/?#]|$)").matcher(String.valueOf(uri.getRawAuthority()));
            throw new Rejection(port.find() && !portInRange(port.group(1))
                    ? "the port " + port.group(1) + " is not from 1 to 65535" : "no host (or a malformed port)");
        }
        if (uri.getPort() != -1 && !portInRange(String.valueOf(uri.getPort()))) {
            throw new Rejection("the port " + uri.getPort() + " is not from 1 to 65535");
        }
        return value;
    }

    private static boolean portInRange(String digits) {
        return digits.length() <= 5 && Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 65535;
    }

    static java.util.Set<String> csv(String value) {
        java.util.Set<String> items = new java.util.LinkedHashSet<>();
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException(value);
            }
            items.add(trimmed);
        }
        return items;
    }

    static java.util.Set<dev.upstreamguard.core.retry.RetryCondition> retryConditions(String value) {
        java.util.Set<dev.upstreamguard.core.retry.RetryCondition> conditions =
                java.util.EnumSet.noneOf(dev.upstreamguard.core.retry.RetryCondition.class);
        for (String item : csv(value)) {
            conditions.add(dev.upstreamguard.core.retry.RetryCondition.fromToken(item));
        }
        return conditions;
    }

    static java.util.Set<Integer> statuses(String value) {
        java.util.Set<Integer> statuses = new java.util.LinkedHashSet<>();
        for (String item : csv(value)) {
            statuses.add((int) inRange(Integer.parseInt(item), 400, 599));
        }
        return statuses;
    }

    static double ratio(String value) {
        double d = Double.parseDouble(value);
        if (!(d >= 0.0 && d <= 1.0)) {
            throw new IllegalArgumentException(value);
        }
        return d;
    }

    /** A size that may be 0. */
    static int size0(String value) {
        return value.trim().matches("0+\\s*[a-zA-Z]*") ? 0 : size(value);
    }

    static long inRange(long n, long min, long max) {
        if (n < min || n > max) {
            throw new IllegalArgumentException(String.valueOf(n));
        }
        return n;
    }

    static String matching(String value, String regex) {
        if (!value.matches(regex)) {
            throw new IllegalArgumentException(value);
        }
        return value;
    }

    static Duration atLeast(Duration d, Duration min) {
        if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException(d.toString());
        }
        return d;
    }

    static Duration atMost(Duration d, Duration max) {
        if (d.compareTo(max) > 0) {
            throw new IllegalArgumentException(d.toString());
        }
        return d;
    }

    static Duration wholeSeconds(Duration d, Duration max) {
        if (d.getNano() != 0 || d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(d.toString());
        }
        return d;
    }

    static int nonNegativeInt(String value) {
        int n = Integer.parseInt(value);
        if (n < 0) {
            throw new IllegalArgumentException(value);
        }
        return n;
    }

    static int positiveInt(String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(value);
        }
        return n;
    }

    /**
     * The size syntax every packaging accepts, in bytes: {@code 4096}, {@code 4k}, {@code 4KiB}, {@code 1m},
     * {@code 1MiB} (k = 1024), at least 1.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static int size(String value) {
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(value);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        long bytes = unit.startsWith("k") ? n * 1024 : unit.startsWith("m") ? n * 1024 * 1024 : n;
        if (bytes < 1 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(value);
        }
        return (int) bytes;
    }

    /** {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}, or ISO-8601 {@code PT5S}. */
    static Duration duration(String value) {
        return parseDuration(value);
    }

    /**
     * The duration syntax every packaging accepts: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h},
     * {@code 1d}, ISO-8601 {@code PT5S}, or {@code 0}.
     *
     * @throws IllegalArgumentException or {@link DateTimeParseException} for anything else
     */
    public static Duration parseDuration(String value) {
        if (value.trim().matches("0+")) {
            return Duration.ZERO;
        }
        Matcher m = SIMPLE_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": return Duration.ofMillis(n);
                case "s": return Duration.ofSeconds(n);
                case "m": return Duration.ofMinutes(n);
                case "h": return Duration.ofHours(n);
                default: return Duration.ofDays(n);
            }
        }
        return Duration.parse(value.toUpperCase(Locale.ROOT));
    }
}
