package dev.upstreamguard.core;

import java.util.Locale;

/**
 * A route entered or left panic mode: fewer than {@code health.panic-threshold} percent of its upstreams were
 * in rotation, so passive health stopped keeping the ejected ones out and every upstream takes traffic again
 * (a partial failure must not become a total one). Reported once per transition, by the request that saw it.
 *
 * @param routeId    the route (for the gateway's load-balanced services: the service id)
 * @param kind       entered or left
 * @param inRotation upstreams in rotation (not ejected) when it happened
 * @param upstreams  upstreams of the route
 */
public record PanicEvent(String routeId, Kind kind, int inRotation, int upstreams) {

    /** Entered or left. */
    public enum Kind {
        /** Too few upstreams in rotation: all take traffic. */
        ENTERED,
        /** Enough upstreams in rotation again: ejections apply again. */
        LEFT;

        /** Lower-case tag value: {@code panic_entered} or {@code panic_left}. */
        public String tag() {
            return "panic_" + name().toLowerCase(Locale.ROOT);
        }
    }
}
