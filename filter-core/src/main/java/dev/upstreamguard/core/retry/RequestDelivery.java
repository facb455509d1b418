package dev.upstreamguard.core.retry;

/**
 * How far the request of a failed attempt got, as the packaging observed it. Whether a request may be
 * sent again depends on it: one that never left is safe to resend for any method, one that may have been
 * received only when the method is idempotent and the body replayable.
 */
public enum RequestDelivery {
    /** The packaging saw that no byte of the request was written to the upstream connection. */
    NOT_SENT,
    /** Bytes of the request were, or may have been, written: the upstream may have received it. */
    MAY_HAVE_BEEN_SENT,
    /**
     * The packaging cannot observe it. Treated as {@link #MAY_HAVE_BEEN_SENT}, unless the error type itself
     * proves no connection was made (name resolution failed, connection refused, the proxy's own limit).
     */
    UNKNOWN
}
