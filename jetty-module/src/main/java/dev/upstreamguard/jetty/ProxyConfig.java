package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The immutable configuration of one guarded proxy, checked as a whole when built.
 *
 * @param routes                    the routes; ids and path prefixes unique; matched longest prefix first
 * @param timeouts                  per-phase timeouts of the upstream client
 * @param viaPseudonym              our {@code received-by} in {@code Via} (RFC 9110 §7.6.3); a request that
 *                                  already carries it has looped back to us
 * @param maxConnectionsPerUpstream connection pool size per upstream (Jetty: per destination)
 * @param maxQueuedPerUpstream      requests waiting for a connection per upstream before
 *                                  {@code connection_limit_reached}
 * @param trustedProxies            clients whose {@code Forwarded} and {@code X-Forwarded-*} fields are kept and
 *                                  extended; from anyone else they are replaced with what this proxy saw
 * @param tls                       how the client speaks TLS to {@code https} upstreams
 */
public record ProxyConfig(List<Route> routes, Timeouts timeouts, String viaPseudonym, int maxConnectionsPerUpstream,
                          int maxQueuedPerUpstream, CidrSet trustedProxies, UpstreamTls tls) {

    /** Default pool size per upstream (Jetty's default). */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_UPSTREAM = 64;
    /** Default queue length per upstream (Jetty's default). */
    public static final int DEFAULT_MAX_QUEUED_PER_UPSTREAM = 1024;

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");

    /** Checks the whole: at least one route, unique ids and prefixes, a token pseudonym, positive limits. */
    public ProxyConfig {
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(tls, "tls");
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("at least one route is required");
        }
        Set<String> ids = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (Route route : routes) {
            if (!ids.add(route.id())) {
                throw new IllegalArgumentException("duplicate route id " + route.id());
            }
            if (!prefixes.add(route.pathPrefix())) {
                throw new IllegalArgumentException("route " + route.id() + ": path " + route.pathPrefix()
                        + " is already used by another route");
            }
        }
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparingInt((Route r) -> r.pathPrefix().length()).reversed());
        routes = List.copyOf(sorted);
        if (viaPseudonym == null || !TOKEN.matcher(viaPseudonym).matches()) {
            throw new IllegalArgumentException("via pseudonym must be an HTTP token of 1-64 characters, was " + viaPseudonym);
        }
        if (maxConnectionsPerUpstream < 1) {
            throw new IllegalArgumentException("max connections per upstream must be >= 1, was " + maxConnectionsPerUpstream);
        }
        if (maxQueuedPerUpstream < 1) {
            throw new IllegalArgumentException("max queued requests per upstream must be >= 1, was " + maxQueuedPerUpstream);
        }
    }

    /** A configuration with the default {@link UpstreamTls#DEFAULTS}. */
    public ProxyConfig(List<Route> routes, Timeouts timeouts, String viaPseudonym, int maxConnectionsPerUpstream,
                       int maxQueuedPerUpstream, CidrSet trustedProxies) {
        this(routes, timeouts, viaPseudonym, maxConnectionsPerUpstream, maxQueuedPerUpstream, trustedProxies,
                UpstreamTls.DEFAULTS);
    }

    /** A configuration that trusts no client's forwarded fields. */
    public ProxyConfig(List<Route> routes, Timeouts timeouts, String viaPseudonym, int maxConnectionsPerUpstream,
                       int maxQueuedPerUpstream) {
        this(routes, timeouts, viaPseudonym, maxConnectionsPerUpstream, maxQueuedPerUpstream, CidrSet.empty());
    }

    /** The route for {@code path}: the longest matching prefix, or {@code null}. */
    public Route match(String path) {
        for (Route route : routes) {
            if (route.matches(path)) {
                return route;
            }
        }
        return null;
    }
}
