package dev.upstreamguard.jetty;

import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.PolicyBinder;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parses the per-route policy overrides of the Jetty module from one property value. Jetty XML reads only
 * properties it names, so, like the routes, every override is written into the single property
 * {@code upstream-guard.route-policy}:
 * <pre>
 * route-policy = entry *( ";" entry )          empty entries are ignored
 * entry        = route-id "." core-key "=" value
 * </pre>
 * Example: {@code api.retry.conditions=connect-failure,reset; api.retry.max-attempts=3; admin.exposure.mode=never}.
 * Jetty's {@code +=} appends to a property, so an ini file can add one override per line:
 * {@code upstream-guard.route-policy+=;api.retry.max-attempts=3}. A route's keys are bound by
 * {@link PolicyBinder} on top of the global policy, so a route changes only what it names.
 *
 * <p>A route id may contain dots: an entry belongs to the longest route id it starts with. The keys the
 * Jetty module shares between routes cannot be overridden per route: {@code limits.*} (the bucket backend is
 * the server's) and the two validation keys that change how the shared upstream client parses responses.
 */
final class RoutePolicyProperty {

    /** The accepted syntax, as quoted in error messages. */
    static final String SYNTAX = "entries separated by ';', each <route id>.<core key>=<value> for a route of"
            + " upstream-guard.routes and any core key except limits.*, validation.obs-fold and"
            + " validation.content-length-with-transfer-encoding (percent-encode a ';' in a URL), e.g."
            + " api.retry.conditions=connect-failure,reset;api.retry.max-attempts=3";

    private static final List<String> SHARED = List.of("limits.", "validation.obs-fold",
            "validation.content-length-with-transfer-encoding");

    private final String property;

    /** A parser whose errors name {@code property} (the full name, e.g. {@code upstream-guard.route-policy}). */
    RoutePolicyProperty(String property) {
        this.property = property;
    }

    /**
     * Each route's policy: {@code global} with the route's entries bound on top; routes without entries are
     * absent.
     *
     * @param routeIds the ids of the configured routes
     * @throws ConfigurationException naming the property and entry for a bad entry, key or value
     */
    Map<String, GuardPolicy> parse(String value, List<String> routeIds, GuardPolicy global) {
        Map<String, Map<String, String>> byRoute = new LinkedHashMap<>();
        if (value == null) {
            return Map.of();
        }
        List<String> longestFirst = routeIds.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String raw : value.split(";")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String name = eq < 0 ? entry : entry.substring(0, eq).trim();
            String id = longestFirst.stream().filter(r -> name.startsWith(r + ".")).findFirst().orElse(null);
            if (eq < 0 || id == null) {
                throw new ConfigurationException(property, RoutesProperty.masked(entry), SYNTAX + "; route ids: "
                        + String.join(", ", routeIds));
            }
            String key = name.substring(id.length() + 1);
            if (SHARED.stream().anyMatch(key::startsWith)) {
                throw new ConfigurationException(property, RoutesProperty.masked(entry), "no " + key + " per route: the"
                        + " Jetty module shares it between routes (set upstream-guard." + key + " globally); " + SYNTAX);
            }
            byRoute.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(key, entry.substring(eq + 1).trim());
        }
        Map<String, GuardPolicy> policies = new LinkedHashMap<>();
        byRoute.forEach((id, keys) -> {
            // errors name e.g. 'upstream-guard.route-policy: api.retry.max-attempts'
            String prefix = property + ": " + id + ".";
            Map<String, String> prefixed = keys.entrySet().stream()
                    .collect(Collectors.toMap(e -> prefix + e.getKey(), Map.Entry::getValue));
            policies.put(id, PolicyBinder.bind(global, prefixed, prefix, key -> false));
        });
        return policies;
    }
}
