package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.PolicyBinder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code upstream-guard.*} properties from Spring's {@link Environment} — any property source,
 * relaxed names included — and hands them to the core's {@link PolicyBinder}, so the keys, defaults and
 * error messages are those of every other packaging.
 */
final class SpringPolicyBinding {
    /** Keys under the prefix that belong to the starter, not to the core policy. */
    static final Set<String> STARTER_KEYS = Set.of("enabled", "response-timeout", "decoder-max-header-size",
            "recent-failures", "via-pseudonym");

    private static final String PREFIX = UpstreamGuardProperties.PREFIX + ".";
    private static final String STATUS = "status.";
    private static final Map<String, String> STATUS_TOKENS = statusTokens();

    private SpringPolicyBinding() {
    }

    /**
     * The policy the environment describes.
     *
     * @throws dev.upstreamguard.core.policy.ConfigurationException naming the full property (e.g.
     *                                                              {@code upstream-guard.exposure.mode})
     */
    static GuardPolicy bind(Environment environment) {
        Map<String, String> flat = Binder.get(environment)
                .bind(UpstreamGuardProperties.PREFIX, Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        Map<String, String> prefixed = new HashMap<>();
        flat.forEach((key, value) -> prefixed.put(PREFIX + canonical(key), value));
        return PolicyBinder.bind(prefixed, PREFIX, key -> STARTER_KEYS.contains(key));
    }

    /**
     * Spring's relaxed binding drops the underscore of an RFC 9209 token in a map key
     * ({@code status.connection_timeout} arrives as {@code status.connectiontimeout}); map it back, and
     * accept the kebab-case spelling ({@code status.connection-timeout}) as well.
     */
    static String canonical(String key) {
        if (!key.startsWith(STATUS)) {
            return key;
        }
        String token = STATUS_TOKENS.get(squash(key.substring(STATUS.length())));
        return token == null ? key : STATUS + token;
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
}
