package dev.upstreamguard.core.classify;

/**
 * How much a single throwable says about the failure. Along a cause chain the most specific
 * recognition wins; among equals the outermost one wins, because wrappers that a client adds on
 * purpose (the JDK's {@code HttpConnectTimeoutException} around a {@code ConnectException}) refine
 * what they wrap.
 */
enum Specificity {
    /** Only says "an I/O failure happened" and relies entirely on the observed phase. */
    FALLBACK,
    /** A type that names a family of conditions (closed, timed out, protocol error). */
    TYPED,
    /** A type (or isolated signal) that names exactly one condition. */
    EXACT,
    /** A verdict this library already made ({@code UpstreamFailureException}). */
    VERDICT
}
