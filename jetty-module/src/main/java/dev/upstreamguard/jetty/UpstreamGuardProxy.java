package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The embedding API: a guarded reverse proxy to add to an existing Jetty {@code Server}.
 * <pre>{@code
 * Handler proxy = UpstreamGuardProxy.builder()
 *         .route("/api", List.of(URI.create("http://127.0.0.1:8081"), URI.create("http://127.0.0.1:8082")))
 *         .timeouts(Timeouts.DEFAULTS.withConnect(Duration.ofSeconds(2)))
 *         .build();
 * server.setHandler(proxy);   // or add it to a Handler.Sequence; unmatched paths fall through
 * }</pre>
 * The configuration is checked as a whole by {@link Builder#build()}; bad values fail there with their name.
 */
public final class UpstreamGuardProxy {

    private UpstreamGuardProxy() {
    }

    /** A builder with the default guard and timeouts and a random {@code Via} pseudonym. */
    public static Builder builder() {
        return new Builder();
    }

    /** A pseudonym unique to this process: {@code upstream-guard-} and 8 hex digits. */
    public static String randomPseudonym() {
        return dev.upstreamguard.core.Via.randomPseudonym();
    }

    /** Builds a {@link GuardedProxyHandler}. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private UpstreamGuard guard;
        private String viaPseudonym;
        private int maxConnectionsPerUpstream = ProxyConfig.DEFAULT_MAX_CONNECTIONS_PER_UPSTREAM;
        private int maxQueuedPerUpstream = ProxyConfig.DEFAULT_MAX_QUEUED_PER_UPSTREAM;
        private CidrSet trustedProxies = CidrSet.empty();
        private UpstreamTls tls = UpstreamTls.DEFAULTS;

        private Builder() {
        }

        /** A route whose id is derived from the prefix ({@code /api/v1} → {@code api-v1}, {@code /} → {@code root}). */
        public Builder route(String pathPrefix, List<URI> upstreams) {
            return route(Route.of(idFor(pathPrefix), pathPrefix, upstreams));
        }

        /** A route; one with its own policy ({@link Route#withPolicy}) gets a guard derived from the proxy's. */
        public Builder route(Route route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /** The per-phase timeouts (default {@link Timeouts#DEFAULTS}). */
        public Builder timeouts(Timeouts newTimeouts) {
            this.timeouts = Objects.requireNonNull(newTimeouts, "timeouts");
            return this;
        }

        /** The guard (policy, classifiers, listeners); default {@link UpstreamGuard#withDefaults()}. */
        public Builder guard(UpstreamGuard newGuard) {
            this.guard = Objects.requireNonNull(newGuard, "guard");
            return this;
        }

        /** Our {@code Via} pseudonym (default {@link #randomPseudonym()}). */
        public Builder viaPseudonym(String pseudonym) {
            this.viaPseudonym = pseudonym;
            return this;
        }

        /** Connection pool size per upstream. */
        public Builder maxConnectionsPerUpstream(int max) {
            this.maxConnectionsPerUpstream = max;
            return this;
        }

        /** Requests queued per upstream before {@code connection_limit_reached}. */
        public Builder maxQueuedPerUpstream(int max) {
            this.maxQueuedPerUpstream = max;
            return this;
        }

        /**
         * The proxies in front of this one whose {@code Forwarded} and {@code X-Forwarded-*} fields are kept and
         * extended (default: none). From any other client those fields are replaced with what this proxy saw.
         */
        public Builder trustedProxies(CidrSet proxies) {
            this.trustedProxies = Objects.requireNonNull(proxies, "trustedProxies");
            return this;
        }

        /** How the client speaks TLS to {@code https} upstreams (default {@link UpstreamTls#DEFAULTS}). */
        public Builder tls(UpstreamTls upstreamTls) {
            this.tls = Objects.requireNonNull(upstreamTls, "tls");
            return this;
        }

        /** The configuration alone, checked. */
        public ProxyConfig config() {
            return new ProxyConfig(routes, timeouts, viaPseudonym == null ? randomPseudonym() : viaPseudonym,
                    maxConnectionsPerUpstream, maxQueuedPerUpstream, trustedProxies, tls);
        }

        /** The handler; throws {@link IllegalArgumentException} naming what is wrong. */
        public GuardedProxyHandler build() {
            return new GuardedProxyHandler(config(), guard == null ? UpstreamGuard.withDefaults() : guard);
        }

        private static String idFor(String pathPrefix) {
            if (pathPrefix == null || pathPrefix.equals("/")) {
                return "root";
            }
            String id = pathPrefix.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]+", "-");
            return id.isEmpty() ? "root" : id.length() > 64 ? id.substring(0, 64) : id;
        }
    }
}
