package dev.upstreamguard.core;

/**
 * What a limit does when its shared backend (e.g. Redis) fails or does not answer in time. There is no
 * silent default: the choice is configured, and every use of it is logged and counted.
 */
public enum BackendFailureMode {
    /** Fail open: let the request (or retry) through. */
    ALLOW,
    /** Fail closed: refuse it, as if the limit were reached. */
    DENY
}
