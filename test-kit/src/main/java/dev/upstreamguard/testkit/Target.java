package dev.upstreamguard.testkit;

/** Where a {@link Scenario} sends its request. */
public enum Target {
    /** A {@link Fault} path of the {@link MisbehavingUpstream}. */
    FAULT_PATH,
    /** {@link MisbehavingUpstream#refusedUri()}: TCP connect is refused. */
    REFUSED,
    /** {@link MisbehavingUpstream#connectTimeoutUri()}: TCP connect times out. */
    CONNECT_TIMEOUT,
    /** {@link MisbehavingUpstream#unresolvableUri()}: the host name does not resolve. */
    UNRESOLVABLE
}
