package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.CidrSet;
import java.util.Objects;

/**
 * Decides per client whether diagnostics that may reveal internals ({@code details}, {@code next-hop},
 * the details sentence of a problem document) are shown. RFC 9209 §4 suggests deciding on request
 * attributes such as the client's IP address; the address must be the one of the connection (or one a
 * trusted forwarder vouches for), never a client-supplied header taken on trust.
 *
 * @param exposure the rule
 * @param trusted  the addresses {@link Exposure#TRUSTED} lets through
 */
public record ExposurePolicy(Exposure exposure, CidrSet trusted) {

    /** Rejects nulls. */
    public ExposurePolicy {
        Objects.requireNonNull(exposure, "exposure");
        Objects.requireNonNull(trusted, "trusted");
    }

    private static final ExposurePolicy DEFAULTS = new ExposurePolicy(Exposure.TRUSTED, CidrSet.empty());
    private static final ExposurePolicy LOOPBACK = new ExposurePolicy(Exposure.TRUSTED, CidrSet.loopback());

    /**
     * The default: {@link Exposure#TRUSTED} with nobody trusted, so {@code details} and {@code next-hop}
     * are shown to nobody until trusted addresses are configured. Loopback is not trusted by default:
     * behind a reverse proxy on the same host, or a sidecar, every client connects from loopback.
     */
    public static ExposurePolicy defaults() {
        return DEFAULTS;
    }

    /**
     * {@link Exposure#TRUSTED} with loopback ({@code 127.0.0.0/8}, {@code ::1/128}) trusted: for development,
     * samples and tests, where nothing forwards other clients' requests from loopback.
     */
    public static ExposurePolicy loopback() {
        return LOOPBACK;
    }

    /**
     * Whether a client connected from {@code remoteAddress} (an IP literal, e.g. from
     * {@code getRemoteAddr()}) may see details. Host names never match and are never resolved.
     */
    public boolean allows(String remoteAddress) {
        switch (exposure) {
            case ALWAYS:
                return true;
            case TRUSTED:
                return trusted.contains(remoteAddress);
            default:
                return false;
        }
    }
}
