package dev.upstreamguard.testkit.lifecycle;

/**
 * What a packaging must do for a lifecycle sequence to apply to it. A sequence that needs a capability the
 * {@link LifecycleHarness} does not declare is skipped (reported as an aborted test naming it), so every
 * packaging declares in one place which sequences apply.
 */
public enum Capability {
    /**
     * The packaging makes the upstream attempts itself: it retries, bounds them by one deadline, waits the
     * backoff and judges the upstreams' health (the Jetty module, the gateway starter). The servlet filter
     * does not: the application calls the upstream, once, and the filter admits and classifies.
     */
    UPSTREAM_ATTEMPTS("the packaging makes no upstream attempts itself"),
    /** A route may list several upstreams, in rotation, with passive health (the gateway: {@code lb://} routes). */
    SEVERAL_UPSTREAMS("a route has a single upstream");

    private final String missing;

    Capability(String missing) {
        this.missing = missing;
    }

    /** Why a sequence needing this does not apply where it is missing. */
    public String whyMissing() {
        return missing;
    }
}
