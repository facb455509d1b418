package dev.upstreamguard.core.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * The client's request as the core needs to see it: its method, its address and a view of its header
 * fields. The packaging wraps its own request type; nothing is copied.
 *
 * @param method        the request method exactly as received (RFC 9110 §9.1: case-sensitive)
 * @param remoteAddress the client's IP literal, or {@code null} when unknown
 * @param headers       the request's header fields
 */
public record ClientRequest(String method, String remoteAddress, Headers headers) {

    /** Checks the values. */
    public ClientRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(headers, "headers");
    }

    /** Read access to the request's header fields, names compared case-insensitively (RFC 9110 §5.1). */
    public interface Headers {
        /** The first value of field {@code name}, or {@code null}. */
        String first(String name);

        /** Every field line named {@code name}, in order; empty when none. */
        List<String> all(String name);
    }
}
