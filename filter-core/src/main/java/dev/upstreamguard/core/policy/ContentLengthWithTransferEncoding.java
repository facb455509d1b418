package dev.upstreamguard.core.policy;


/**
 * What to do with a response that carries both Transfer-Encoding and Content-Length. RFC 9112 §6.3
 * says Transfer-Encoding overrides Content-Length, that such a message "ought to be handled as an error"
 * (it is a request-smuggling and response-splitting vector), and that an intermediary that forwards it
 * anyway must first remove the Content-Length.
 */
public enum ContentLengthWithTransferEncoding {
    /** Fail with {@code http_protocol_error}: the strict choice, and the default. */
    REJECT,
    /** Forward the response with every Content-Length field dropped, reported as {@link dev.upstreamguard.core.HeadRepair}s. */
    DROP_CONTENT_LENGTH
}
