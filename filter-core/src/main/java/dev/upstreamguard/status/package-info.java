/**
 * What an operator's status page shows: {@link dev.upstreamguard.status.FailureHistory}
 * listens to the guard's events and keeps failures per error type per minute, the last failures and
 * counters, in bounded memory; {@link dev.upstreamguard.status.StatusRegistry} adds each route's
 * upstream health and takes an immutable {@link dev.upstreamguard.status.StatusReport};
 * {@link dev.upstreamguard.status.StatusRenderer} writes it as JSON or as one self-contained HTML page.
 * Framework-free and non-blocking, with time injected as a {@link java.time.Clock}. Nothing here holds an
 * exception message, a host name or an address: only configured ids, error tokens and our own phrases.
 */
package dev.upstreamguard.status;
