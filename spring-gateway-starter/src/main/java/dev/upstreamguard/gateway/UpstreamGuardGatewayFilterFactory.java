package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.diagnostics.Exposure;
import dev.upstreamguard.core.diagnostics.ExposurePolicy;
import dev.upstreamguard.core.admission.ConcurrencyPolicy;
import dev.upstreamguard.core.admission.RateLimitPolicy;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.PolicyBinder;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

import java.time.Duration;
import java.util.List;

/**
 * The per-route filter {@code UpstreamGuard}: overrides, for one route, the response-head deadline, the
 * exposure mode and the status of some error types, and sets the route's rate and concurrency limits.
 * <pre>
 * filters:
 *   - name: UpstreamGuard
 *     args:
 *       response-timeout: 5s                    # 0 turns the starter's deadline off for this route
 *       exposure: never                         # never | trusted | always
 *       statuses: connection_timeout=502, dns_error=503
 *       rate-limit: 100/1s                      # per client address: 429 + Retry-After + RateLimit fields
 *       max-concurrent: 50                      # in flight at once: 503 connection_limit_reached
 * </pre>
 * or in short form {@code UpstreamGuard=5s}. Bad arguments fail when the route is built, naming the
 * route filter argument.
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

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("responseTimeout");
    }

    @Override
    public GatewayFilter apply(Config config) {
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
        boolean exposure = config.getExposure() != null && !config.getExposure().isBlank();
        boolean statuses = config.getStatuses() != null && !config.getStatuses().isBlank();
        boolean rateLimit = config.getRateLimit() != null && !config.getRateLimit().isBlank();
        boolean concurrency = config.getMaxConcurrent() != null;
        if (!exposure && !statuses && !rateLimit && !concurrency) {
            return null;
        }
        GuardPolicy.Builder policy = GuardPolicy.from(base.policy());
        if (rateLimit) {
            policy.rateLimit(rateLimit(config.getRateLimit()));
        }
        if (concurrency) {
            try {
                policy.concurrency(ConcurrencyPolicy.ofMaxConcurrent(config.getMaxConcurrent()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("UpstreamGuard filter: invalid max-concurrent '"
                        + config.getMaxConcurrent() + "': accepted 0 (unlimited) or more", e);
            }
        }
        if (exposure) {
            try {
                policy.exposure(new ExposurePolicy(Exposure.parse(config.getExposure()), base.policy().exposure().trusted()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("UpstreamGuard filter: invalid exposure '" + config.getExposure()
                        + "': accepted never, trusted, always", e);
            }
        }
        if (statuses) {
            for (String pair : config.getStatuses().split(",")) {
                applyStatus(policy, pair.trim());
            }
        }
        return guards.forRoute(base, policy.build());
    }

    /** {@code <limit>/<window>}, e.g. {@code 100/1s}: per client address, named {@code route}. */
    private static RateLimitPolicy rateLimit(String spec) {
        int slash = spec.indexOf('/');
        try {
            if (slash < 0) {
                throw new IllegalArgumentException("no '/'");
            }
            return RateLimitPolicy.perAddress("route", Long.parseLong(spec.substring(0, slash).trim()),
                    PolicyBinder.parseDuration(spec.substring(slash + 1).trim()));
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("UpstreamGuard filter: invalid rate-limit '" + spec
                    + "': accepted <requests>/<window>, e.g. 100/1s or 1000/1m", e);
        }
    }

    private static void applyStatus(GuardPolicy.Builder policy, String pair) {
        int eq = pair.indexOf('=');
        ErrorType type = eq < 0 ? null : ErrorType.fromToken(pair.substring(0, eq).trim()).orElse(null);
        try {
            if (type == null) {
                throw new IllegalArgumentException("no RFC 9209 error type");
            }
            policy.status(type, Integer.parseInt(pair.substring(eq + 1).trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("UpstreamGuard filter: invalid statuses entry '" + pair
                    + "': accepted <error-type>=<status>, e.g. connection_timeout=502, with a status from 500 to 599", e);
        }
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
