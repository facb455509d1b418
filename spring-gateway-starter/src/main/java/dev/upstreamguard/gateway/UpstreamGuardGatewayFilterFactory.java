package dev.upstreamguard.gateway;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.ClientKeySource;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.core.policy.RateLimitPolicy;
import dev.upstreamguard.spring.UpstreamGuardFactory;
import dev.upstreamguard.spring.UpstreamGuardPolicies;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-route filter {@code UpstreamGuard}: overrides, for one route, the response-head deadline, the
 * exposure mode and the status of some error types, sets the route's rate and concurrency limits, and
 * takes any other core policy key under {@code policy} (e.g. the route's retries). Everything is bound by
 * the core's {@link PolicyBinder} on top of the global policy, so a route changes only what it names.
 * <pre>
 * filters:
 *   - name: UpstreamGuard
 *     args:
 *       response-timeout: 5s                    # 0 turns the starter's deadline off for this route
 *       exposure: never                         # never | trusted | always
 *       statuses: connection_timeout=502, dns_error=503
 *       rate-limit: 100/1s                      # per client address: 429 + Retry-After + RateLimit fields
 *       max-concurrent: 50                      # in flight at once: 503 connection_limit_reached
 *       policy:                                 # any core key, on top of the global policy
 *         retry.max-attempts: 1
 * </pre>
 * or in short form {@code UpstreamGuard=5s}. Bad arguments fail when the route is built, naming the
 * route filter argument. With {@code upstream-guard.enabled=false} the filter stays registered (route
 * definitions naming it stay valid) and passes every request through untouched ({@link #passThrough()}).
 */
public class UpstreamGuardGatewayFilterFactory extends AbstractGatewayFilterFactory<UpstreamGuardGatewayFilterFactory.Config> {

    private final UpstreamGuard base;
    private final UpstreamGuardFactory guards;

    /** Route guards derived from {@code base}'s policy, built by {@code guards}. */
    public UpstreamGuardGatewayFilterFactory(UpstreamGuard base, UpstreamGuardFactory guards) {
        super(Config.class);
        this.base = base;
        this.guards = guards;
    }

    /** The filter of a disabled starter: it accepts the same arguments and passes every request through. */
    public static UpstreamGuardGatewayFilterFactory passThrough() {
        return new UpstreamGuardGatewayFilterFactory(null, null);
    }

    /** Whether this is the disabled starter's pass-through filter. */
    public boolean isPassThrough() {
        return base == null;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("responseTimeout");
    }

    @Override
    public GatewayFilter apply(Config config) {
        if (isPassThrough()) {
            return (exchange, chain) -> chain.filter(exchange);
        }
        UpstreamGuard routeGuard = routeGuard(config);
        Duration timeout = config.getResponseTimeout();
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("UpstreamGuard filter: response-timeout must not be negative, was " + timeout);
        }
        return (exchange, chain) -> {
            GuardedAttempt attempt = GuardedAttempt.of(exchange);
            if (attempt != null) {
                attempt.override(routeGuard, timeout);
            }
            return chain.filter(exchange);
        };
    }

    /** A guard of its own when the route changes the policy; {@code null} keeps the global one. */
    private UpstreamGuard routeGuard(Config config) {
        Map<String, String> keys = new LinkedHashMap<>(config.getPolicy());
        if (present(config.getExposure())) {
            keys.put("exposure.mode", config.getExposure());
        }
        if (present(config.getStatuses())) {
            for (String pair : config.getStatuses().split(",")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("UpstreamGuard filter: invalid statuses entry '" + pair.trim()
                            + "': accepted <error-type>=<status>, e.g. connection_timeout=502");
                }
                keys.put("status." + pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        if (present(config.getRateLimit())) {
            rateLimit(config.getRateLimit(), keys);
        }
        if (config.getMaxConcurrent() != null) {
            keys.put("concurrency.max-concurrent", String.valueOf(config.getMaxConcurrent()));
        }
        if (keys.isEmpty()) {
            return null;
        }
        Map<String, String> canonical = new LinkedHashMap<>();
        keys.forEach((key, value) -> canonical.put(UpstreamGuardPolicies.canonicalKey(key), value));
        GuardPolicy over = base.policy();
        if (present(config.getRateLimit())) {
            // the shortcut means what it says: per client address, a burst of its own limit (not the global ones)
            RateLimitPolicy global = over.rateLimit();
            over = GuardPolicy.from(over).rateLimit(new RateLimitPolicy(global.enabled(), global.name(), global.limit(),
                    global.window(), 0, ClientKeySource.ADDRESS, null, global.ipv6PrefixLength())).build();
        }
        GuardPolicy policy;
        try {
            policy = PolicyBinder.bind(over, canonical, "", key -> false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("UpstreamGuard filter: " + e.getMessage(), e);
        }
        return guards.derive(base, policy);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** {@code <limit>/<window>}, e.g. {@code 100/1s}: per client address, a burst of the limit, named {@code route}. */
    private static void rateLimit(String spec, Map<String, String> keys) {
        int slash = spec.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("UpstreamGuard filter: invalid rate-limit '" + spec
                    + "': accepted <requests>/<window>, e.g. 100/1s or 1000/1m");
        }
        keys.put("rate-limit.enabled", "true");
        keys.put("rate-limit.name", "route");
        keys.put("rate-limit.key", "address");
        keys.put("rate-limit.limit", spec.substring(0, slash).trim());
        keys.put("rate-limit.window", spec.substring(slash + 1).trim());
    }

    /** The arguments of the {@code UpstreamGuard} route filter. */
    public static class Config {
        /** Deadline for this route's upstream response head; 0 for none. */
        private Duration responseTimeout;
        /** Who sees details on this route: never, trusted or always. */
        private String exposure;
        /** Status overrides, e.g. "connection_timeout=502, dns_error=503". */
        private String statuses;
        /** Per-client rate limit of this route, "requests/window", e.g. "100/1s": 429 with Retry-After and RateLimit fields. */
        private String rateLimit;
        /** Most requests of this route in flight at once; over it 503 connection_limit_reached. */
        private Integer maxConcurrent;
        /** Any core policy key for this route, e.g. policy.retry.max-attempts: 1 (on top of the global policy). */
        private Map<String, String> policy = new LinkedHashMap<>();

        public Map<String, String> getPolicy() {
            return policy;
        }

        public Config setPolicy(Map<String, String> policy) {
            this.policy = policy == null ? new LinkedHashMap<>() : policy;
            return this;
        }

        public String getRateLimit() {
            return rateLimit;
        }

        public Config setRateLimit(String rateLimit) {
            this.rateLimit = rateLimit;
            return this;
        }

        public Integer getMaxConcurrent() {
            return maxConcurrent;
        }

        public Config setMaxConcurrent(Integer maxConcurrent) {
            this.maxConcurrent = maxConcurrent;
            return this;
        }

        public Duration getResponseTimeout() {
            return responseTimeout;
        }

        public Config setResponseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
            return this;
        }

        public String getExposure() {
            return exposure;
        }

        public Config setExposure(String exposure) {
            this.exposure = exposure;
            return this;
        }

        public String getStatuses() {
            return statuses;
        }

        public Config setStatuses(String statuses) {
            this.statuses = statuses;
            return this;
        }
    }
}
