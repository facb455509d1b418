package dev.upstreamguard.spring;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.core.policy.RetryCondition;
import dev.upstreamguard.status.FailureHistory;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns the typed {@link UpstreamGuardProperties} into the core's {@link GuardPolicy}, once: each property is
 * rendered to the string key the core's {@link PolicyBinder} reads, and the binder checks them, so keys,
 * defaults, cross-field rules and messages ("Invalid value '…' for 'upstream-guard.…': accepted …") stay in
 * one place for every packaging.
 */
public final class UpstreamGuardPolicies {
    /** The prefix of every key, dot included. */
    public static final String KEY_PREFIX = UpstreamGuardProperties.PREFIX + ".";
    /** Keys of {@link UpstreamGuardProperties} that are not policy keys of the binder. */
    public static final List<String> SPRING_KEYS = List.of("enabled", "recent-failures");

    private static final String STATUS = "status.";
    private static final String STATUS_KEY = STATUS + "<error-type>";
    private static final Map<String, String> STATUS_TOKENS = statusTokens();
    /** The form Spring's relaxed binding does not map to {@code upstream-guard.*}. */
    private static final String MISSPELT_ENV_PREFIX = "UPSTREAM_GUARD_";
    private static final String ENV_PREFIX = "UPSTREAMGUARD_";

    private UpstreamGuardPolicies() {
    }

    /**
     * The policy {@code properties} describe.
     *
     * @throws ConfigurationException naming the full property, the value and what is accepted
     */
    public static GuardPolicy toPolicy(UpstreamGuardProperties properties) {
        return PolicyBinder.bind(render(properties), KEY_PREFIX, key -> false);
    }

    /**
     * The status page's failure history: the last {@code upstream-guard.recent-failures} failures and the
     * failures by type per minute over {@value FailureHistory#DEFAULT_WINDOW_MINUTES} minutes.
     *
     * @throws ConfigurationException when {@code recent-failures} is out of range
     */
    public static FailureHistory failureHistory(UpstreamGuardProperties properties) {
        int recent = properties.getRecentFailures();
        if (recent < 1 || recent > FailureHistory.MAX_RECENT_CAPACITY) {
            throw new ConfigurationException(KEY_PREFIX + "recent-failures", String.valueOf(recent),
                    "a whole number from 1 to " + FailureHistory.MAX_RECENT_CAPACITY);
        }
        return new FailureHistory(Clock.systemUTC(), FailureHistory.DEFAULT_WINDOW_MINUTES, recent);
    }

    /** The binder's key/values for {@code properties}, keys with {@link #KEY_PREFIX}; unset properties are left out. */
    public static Map<String, String> render(UpstreamGuardProperties p) {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "proxy-status.member-name", p.getProxyStatus().getMemberName());
        put(out, "exposure.mode", p.getExposure().getMode());
        put(out, "exposure.trusted-cidrs", p.getExposure().getTrustedCidrs());
        UpstreamGuardProperties.Validation v = p.getValidation();
        put(out, "validation.max-header-size", v.getMaxHeaderSize());
        put(out, "validation.max-header-section-size", v.getMaxHeaderSectionSize());
        put(out, "validation.max-header-count", v.getMaxHeaderCount());
        put(out, "validation.obs-fold", v.getObsFold());
        put(out, "validation.content-length-with-transfer-encoding", v.getContentLengthWithTransferEncoding());
        put(out, "problem-details.enabled", p.getProblemDetails().isEnabled());
        put(out, "problem-details.type-base", p.getProblemDetails().getTypeBase());
        put(out, "request-id.header", p.getRequestId().getHeader());
        put(out, "retry-after.default", p.getRetryAfter().getDefault());
        UpstreamGuardProperties.OriginGuard o = p.getOriginGuard();
        put(out, "origin-guard.enabled", o.isEnabled());
        put(out, "origin-guard.header-budget", o.getHeaderBudget());
        put(out, "origin-guard.action", o.getAction());
        UpstreamGuardProperties.Concurrency c = p.getConcurrency();
        put(out, "concurrency.max-concurrent", c.getMaxConcurrent());
        put(out, "concurrency.min-retry-after", c.getMinRetryAfter());
        put(out, "concurrency.max-retry-after", c.getMaxRetryAfter());
        UpstreamGuardProperties.RateLimit r = p.getRateLimit();
        put(out, "rate-limit.enabled", r.isEnabled());
        put(out, "rate-limit.name", r.getName());
        put(out, "rate-limit.limit", r.getLimit());
        put(out, "rate-limit.window", r.getWindow());
        put(out, "rate-limit.burst", r.getBurst());
        put(out, "rate-limit.key", r.getKey());
        put(out, "rate-limit.key-header", r.getKeyHeader());
        put(out, "rate-limit.ipv6-prefix-length", r.getIpv6PrefixLength());
        UpstreamGuardProperties.Retry t = p.getRetry();
        put(out, "retry.max-attempts", t.getMaxAttempts());
        put(out, "retry.methods", t.getMethods());
        put(out, "retry.conditions", t.getConditions());
        put(out, "retry.statuses", t.getStatuses());
        put(out, "retry.per-try-timeout", t.getPerTryTimeout());
        put(out, "retry.deadline", t.getDeadline());
        put(out, "retry.backoff-base", t.getBackoffBase());
        put(out, "retry.backoff-cap", t.getBackoffCap());
        put(out, "retry.retry-after-cap", t.getRetryAfterCap());
        put(out, "retry.max-replayable-body", t.getMaxReplayableBody());
        put(out, "retry.budget-ratio", t.getBudgetRatio());
        put(out, "retry.budget-min-per-second", t.getBudgetMinPerSecond());
        UpstreamGuardProperties.Health h = p.getHealth();
        put(out, "health.enabled", h.isEnabled());
        put(out, "health.consecutive-failures", h.getConsecutiveFailures());
        put(out, "health.base-ejection", h.getBaseEjection());
        put(out, "health.max-ejection", h.getMaxEjection());
        put(out, "health.max-ejected-percent", h.getMaxEjectedPercent());
        put(out, "health.count-upstream-5xx", h.isCountUpstream5xx());
        put(out, "health.panic-threshold", h.getPanicThreshold());
        UpstreamGuardProperties.Limits l = p.getLimits();
        put(out, "limits.backend", l.getBackend());
        put(out, "limits.redis.uri", l.getRedis().getUri());
        put(out, "limits.redis.key-prefix", l.getRedis().getKeyPrefix());
        put(out, "limits.redis.timeout", l.getRedis().getTimeout());
        put(out, "limits.redis.failure-mode", l.getRedis().getFailureMode());
        UpstreamGuardProperties.CircuitBreaker b = p.getCircuitBreaker();
        put(out, "circuit-breaker.enabled", b.isEnabled());
        put(out, "circuit-breaker.failure-threshold", b.getFailureThreshold());
        put(out, "circuit-breaker.open-duration", b.getOpenDuration());
        put(out, "circuit-breaker.half-open-probes", b.getHalfOpenProbes());
        if (p.getStatus() != null) {
            p.getStatus().forEach((type, status) -> put(out, statusKey(type), status));
        }
        return out;
    }

    /**
     * Fails on a key under {@code upstream-guard.} that no property binds — in any property source and any
     * relaxed form, environment variables included — so that a typo never falls back to a default silently;
     * and on environment variables spelt {@code UPSTREAM_GUARD_…}, which Spring does not map to
     * {@code upstream-guard.*} ({@code UPSTREAMGUARD_…} is its form).
     *
     * @param packagingKeys the packaging's own keys (without prefix); each also accepts keys below it
     * @throws ConfigurationException naming the key, its value and the known keys
     */
    public static void checkKeys(Environment environment, Collection<String> packagingKeys) {
        if (!(environment instanceof ConfigurableEnvironment)) {
            return;
        }
        ConfigurableEnvironment env = (ConfigurableEnvironment) environment;
        for (PropertySource<?> source : env.getPropertySources()) {
            if (source instanceof SystemEnvironmentPropertySource) {
                for (String name : ((SystemEnvironmentPropertySource) source).getPropertyNames()) {
                    if (name.toUpperCase(Locale.ROOT).startsWith(MISSPELT_ENV_PREFIX)) {
                        throw new ConfigurationException(name, masked(source.getProperty(name)),
                                ENV_PREFIX + name.substring(MISSPELT_ENV_PREFIX.length())
                                        + " instead: Spring maps upstream-guard.* from UPSTREAMGUARD_* variables");
                    }
                }
            }
        }
        List<ConfigurationPropertyName> known = new ArrayList<>();
        List<String> knownText = knownKeys(packagingKeys);
        for (String key : knownText) {
            known.add(ConfigurationPropertyName.of(KEY_PREFIX + (key.equals(STATUS_KEY) ? "status" : key)));
        }
        ConfigurationPropertyName prefix = ConfigurationPropertyName.of(UpstreamGuardProperties.PREFIX);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(env)) {
            if (!(source instanceof IterableConfigurationPropertySource)) {
                continue;
            }
            for (ConfigurationPropertyName name : ((IterableConfigurationPropertySource) source).filter(prefix::isAncestorOf)) {
                if (known.stream().noneMatch(k -> k.equals(name) || k.isAncestorOf(name))) {
                    ConfigurationProperty property = source.getConfigurationProperty(name);
                    Object value = property == null ? null : property.getValue();
                    String yamlOn = name.toString().matches(".*\\[(true|false)].*")
                            ? "(YAML reads a bare on, off, yes or no as a boolean: quote the key, e.g. \"on\":) " : "";
                    throw new ConfigurationException(name.toString(), masked(value),
                            yamlOn + "one of the known keys: " + knownText.stream().map(k -> KEY_PREFIX + k)
                                    .collect(Collectors.joining(", ")));
                }
            }
        }
    }

    /** The value of an unknown key as a message may show it: a URI's user info (a Redis password) never. */
    private static String masked(Object value) {
        return value == null ? null : String.valueOf(value).replaceAll("//[^@/\\s]*@", "//***@");
    }

    /** Every key the packaging accepts: the binder's, the shared Spring keys, the packaging's. */
    static List<String> knownKeys(Collection<String> packagingKeys) {
        List<String> keys = new ArrayList<>(SPRING_KEYS);
        PolicyBinder.properties().forEach(p -> keys.add(p.key()));
        keys.addAll(packagingKeys);
        return keys;
    }

    /** The binder's description of {@code key} (without prefix; list indexes and status tokens allowed). */
    public static Optional<PolicyBinder.PropertyInfo> info(String key) {
        String plain = key.replaceAll("\\[\\d+]$", "");
        String lookup = plain.startsWith(STATUS) || plain.equals("status") ? STATUS_KEY : plain;
        return PolicyBinder.properties().stream().filter(p -> p.key().equals(lookup)).findFirst();
    }

    /**
     * A binder key as Spring hands it over in a map (e.g. a route filter's arguments): a {@code status.*} key
     * with its RFC 9209 token restored (see {@link #statusKey}), any other key unchanged.
     */
    public static String canonicalKey(String key) {
        return key.startsWith(STATUS) ? statusKey(key.substring(STATUS.length())) : key;
    }

    /**
     * {@code status.connection_timeout} for any spelling Spring hands over: its relaxed binding drops the
     * underscore of a map key ({@code connectiontimeout}); {@code connection-timeout} works as well.
     */
    static String statusKey(String type) {
        String token = STATUS_TOKENS.get(squash(type));
        return STATUS + (token == null ? type : token);
    }

    private static Map<String, String> statusTokens() {
        Map<String, String> tokens = new HashMap<>();
        for (ErrorType type : ErrorType.values()) {
            tokens.put(squash(type.token()), type.token());
        }
        return Map.copyOf(tokens);
    }

    private static String squash(String token) {
        return token.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    private static void put(Map<String, String> out, String key, Object value) {
        String text = text(value);
        if (text != null) {
            out.put(KEY_PREFIX + key, text);
        }
    }

    /** A value in the syntax the binder reads; {@code null} for an unset one. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Duration) {
            return duration((Duration) value);
        }
        if (value instanceof DataSize) {
            return String.valueOf(((DataSize) value).toBytes());
        }
        if (value instanceof RetryCondition) {
            return ((RetryCondition) value).token();
        }
        if (value instanceof Enum) {
            return ((Enum<?>) value).name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (value instanceof Collection) {
            return ((Collection<?>) value).stream().map(UpstreamGuardPolicies::text).map(String::valueOf)
                    .collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    /** {@code 0}, {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}, else ISO-8601. */
    static String duration(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return d.toString();
    }
}
