package dev.upstreamguard.benchmarks.macro;

import java.net.URI;

/**
 * The three routes every proxy of the load run serves, by path prefix: {@value #OK} to the live upstream,
 * {@value #DEAD} to an upstream that refuses connections, {@value #HALF} round-robin over the live and the
 * dead one (half of the upstreams dead).
 *
 * @param live an upstream that answers
 * @param dead a loopback port nothing listens on
 */
public record ProxyRoutes(URI live, URI dead) {
    /** The healthy route. */
    public static final String OK = "/ok";
    /** The route whose only upstream is dead. */
    public static final String DEAD = "/dead";
    /** The route with one live and one dead upstream. */
    public static final String HALF = "/half";

    /** The upstream for {@code path}; {@code turn} alternates the {@value #HALF} route's two upstreams. */
    public URI upstreamFor(String path, int turn) {
        if (path.startsWith(DEAD)) {
            return dead;
        }
        if (path.startsWith(HALF)) {
            return (turn & 1) == 0 ? live : dead;
        }
        return live;
    }
}
