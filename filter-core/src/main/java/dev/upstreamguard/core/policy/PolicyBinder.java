package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.ErrorType;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
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
 *
 * <p>Each concern's properties (e.g. {@code health.*}) are a group next to its policy, which parses their
 * values and builds its part of the policy; this class dispatches the keys to the groups.
 */
public final class PolicyBinder {

    /** One property: its key (without prefix), its default as text, what it accepts and what it does. */
    public record PropertyInfo(String key, String defaultValue, String accepted, String description) {
    }

    private static final String STATUS_PREFIX = "status.";
    private static final PropertyInfo STATUS = new PropertyInfo(STATUS_PREFIX + "<error-type>",
            "RFC 9209's recommendation", "500-599 (400-599 for http_request_error and http_request_denied)",
            "Status for one RFC 9209 error type, e.g. status.connection_timeout=502.");
    /** Every property in documentation order: the groups' in order, then {@code status.<error-type>}. */
    private static final List<PropertyInfo> PROPERTIES = Stream.concat(
            groups(GuardPolicy.defaults(), GuardPolicy.builder(), "").stream().flatMap(PropertyGroup::infos),
            Stream.of(STATUS)).toList();

    private PolicyBinder() {
    }

    /**
     * The groups in documentation order, each starting from {@code base}; the groups of {@link GuardPolicy}'s own
     * fields write into {@code builder} directly.
     */
    private static List<PropertyGroup<?>> groups(GuardPolicy base, GuardPolicy.Builder builder, String prefix) {
        return List.of(new ProxyStatusProperties(prefix, builder), new ExposureProperties(base, prefix),
                new ValidationProperties(base, prefix), new AnswerProperties(prefix, builder),
                new OriginGuardProperties(base, prefix), new ConcurrencyProperties(base, prefix),
                new RateLimitProperties(base, prefix), new RetryProperties(base, prefix),
                new HealthProperties(base, prefix), new LimitsBackendProperties(base, prefix),
                new CircuitBreakerProperties(base, prefix));
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
        List<PropertyGroup<?>> groups = groups(base, builder, prefix);
        for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String key = e.getKey().substring(prefix.length());
            if (foreign.test(key)) {
                continue;
            }
            String value = e.getValue() == null ? null : e.getValue().trim();
            if (key.startsWith(STATUS_PREFIX)) {
                status(builder, prefix, key, value);
            } else {
                groups.stream().filter(g -> g.owns(key)).findFirst()
                        .orElseThrow(() -> unknown(prefix, key, value)).set(key, value);
            }
        }
        for (PropertyGroup<?> group : groups) {
            group.applyTo(builder);
        }
        return builder.build();
    }

    /** Every property this binder knows, in documentation order ({@code status.<token>} described once). */
    public static List<PropertyInfo> properties() {
        return PROPERTIES;
    }

    private static void status(GuardPolicy.Builder builder, String prefix, String key, String value) {
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
    }

    private static ConfigurationException unknown(String prefix, String key, String value) {
        return new ConfigurationException(prefix + key, value, "no such property; known: "
                + PROPERTIES.stream().map(p -> prefix + p.key()).collect(Collectors.joining(", ")));
    }

    /**
     * The size syntax every packaging accepts, in bytes: {@code 4096}, {@code 4k}, {@code 4KiB}, {@code 1m},
     * {@code 1MiB} (k = 1024), at least 1.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static int size(String value) {
        return PropertyValues.size(value);
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
        return PropertyValues.duration(value);
    }
}
