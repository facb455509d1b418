package dev.upstreamguard.core;


/**
 * A shared limit backend (e.g. Redis) failed or timed out, and the configured failure mode decided.
 *
 * @param backend   the backend's name ({@code redis}, …)
 * @param operation what was asked ({@code try_consume}, {@code add_tokens})
 * @param mode      what was done instead
 * @param cause     the failure (a timeout, a connection error), for the log only
 */
public record BackendFailureEvent(String backend, String operation, BackendFailureMode mode, Throwable cause) {
}
