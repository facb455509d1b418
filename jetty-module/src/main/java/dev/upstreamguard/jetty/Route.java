package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.GuardPolicy;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One route of the guarded proxy: requests whose path starts with {@code pathPrefix} (on a segment
 * boundary) go to one of {@code upstreams}, with the prefix removed first when {@code stripPrefix} is set.
 *
 * @param id          a short name for logs and metric tags (never a raw path)
 * @param pathPrefix  {@code /} or a path starting with {@code /} and not ending with {@code /}
 * @param upstreams   absolute {@code http}/{@code https} URIs with a host, no query or fragment; at least one
 * @param stripPrefix whether the prefix is removed before the upstream URI's own path is prepended
 * @param policy      this route's own policy (e.g. its retries), or {@code null} for the proxy guard's
 */
public record Route(String id, String pathPrefix, List<URI> upstreams, boolean stripPrefix, GuardPolicy policy) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Validates every part; the message names the route and what is accepted. */
    public Route {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("route id must be 1-64 characters of A-Z a-z 0-9 . _ - , was " + id);
        }
        if (pathPrefix == null || !pathPrefix.startsWith("/") || (pathPrefix.length() > 1 && pathPrefix.endsWith("/"))
                || pathPrefix.contains("?") || pathPrefix.contains("#")) {
            throw new IllegalArgumentException("route " + id + ": path must be '/' or start with '/' and not end with"
                    + " '/', without query or fragment, was " + pathPrefix);
        }
        Objects.requireNonNull(upstreams, "upstreams");
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("route " + id + ": at least one upstream URL is required");
        }
        upstreams = List.copyOf(upstreams);
        for (URI upstream : upstreams) {
            checkUpstream(id, upstream);
        }
    }

    /** A route with the proxy guard's policy. */
    public Route(String id, String pathPrefix, List<URI> upstreams, boolean stripPrefix) {
        this(id, pathPrefix, upstreams, stripPrefix, null);
    }

    /** This route with its own policy (e.g. the global one with some keys overridden), {@code null} for the proxy's. */
    public Route withPolicy(GuardPolicy routePolicy) {
        return new Route(id, pathPrefix, upstreams, stripPrefix, routePolicy);
    }

    /**
     * The guard of this route: {@code proxyGuard}, or with this route's policy a guard derived from it that
     * shares its bucket backend, classifiers, listeners and clock. Called once per route when the handler is built.
     */
    public UpstreamGuard guard(UpstreamGuard proxyGuard) {
        return policy == null ? proxyGuard : proxyGuard.toBuilder().policy(policy).build();
    }

    /** A route that keeps the path as received. */
    public static Route of(String id, String pathPrefix, List<URI> upstreams) {
        return new Route(id, pathPrefix, upstreams, false);
    }

    /** Whether {@code path} belongs to this route: equal to the prefix or continuing it with {@code /}. */
    public boolean matches(String path) {
        if (pathPrefix.equals("/")) {
            return path.startsWith("/");
        }
        return path.startsWith(pathPrefix) && (path.length() == pathPrefix.length() || path.charAt(pathPrefix.length()) == '/');
    }

    /** The path sent upstream (without the upstream's own base path) for a matching {@code path}. */
    public String upstreamPath(String path) {
        if (!stripPrefix || pathPrefix.equals("/")) {
            return path;
        }
        String rest = path.substring(pathPrefix.length());
        return rest.isEmpty() ? "/" : rest;
    }

    private static void checkUpstream(String id, URI upstream) {
        String accepted = "an absolute http:// or https:// URL with a host and no query, fragment or user info";
        if (upstream == null || upstream.getScheme() == null || upstream.getHost() == null) {
            throw new IllegalArgumentException("route " + id + ": upstream must be " + accepted + ", was " + upstream);
        }
        String scheme = upstream.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || upstream.getRawQuery() != null
                || upstream.getRawFragment() != null || upstream.getRawUserInfo() != null) {
            throw new IllegalArgumentException("route " + id + ": upstream must be " + accepted + ", was " + upstream);
        }
    }
}
