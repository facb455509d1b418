package dev.upstreamguard.core.policy;


/**
 * What to do with a line folding ({@code obs-fold}: a line break followed by SP or HTAB) kept inside a
 * response field value. RFC 9112 §5.2 lets a user agent or proxy that receives obs-fold in a response
 * either discard the message or replace each fold with one or more SP before interpreting or forwarding it.
 */
public enum ObsFoldHandling {
    /** Fail with {@code http_protocol_error}: the strict choice, and the default. */
    REJECT,
    /**
     * Forward the field with each fold (with the whitespace around it) replaced by a single SP, reported
     * as a {@link dev.upstreamguard.core.HeadRepair}. Folds in Content-Length and Transfer-Encoding are rejected regardless:
     * framing is never repaired.
     */
    REPLACE_WITH_SPACE
}
