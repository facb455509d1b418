package dev.upstreamguard.core.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * The client's request as the core needs to see it: its method, its address and a view of its header
 * fields. The packaging implements it over its own request type, answering each part when asked: nothing is
 * copied, and the client's address is not formatted for a request whose admission reads no address (no
 * rate limit keyed by address) and that is answered by its upstream. {@link #of} takes fixed values.
 *
 * <p>The core asks only while it handles the request (admission, an answer of its own, a report about the
 * exchange), never after the packaging completed it.
 */
public interface ClientRequest {

    /** The request method exactly as received (RFC 9110 §9.1: case-sensitive); never {@code null}. */
    String method();

    /** The client's IP literal, or {@code null} when unknown; never a name to look up. */
    String remoteAddress();

    /** The request's header fields; never {@code null}. */
    Headers headers();

    /** A request of fixed parts, e.g. for tests. */
    static ClientRequest of(String method, String remoteAddress, Headers headers) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(headers, "headers");
        return new ClientRequest() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public String remoteAddress() {
                return remoteAddress;
            }

            @Override
            public Headers headers() {
                return headers;
            }
        };
    }

    /** Read access to the request's header fields, names compared case-insensitively (RFC 9110 §5.1). */
    interface Headers {
        /** The first value of field {@code name}, or {@code null}. */
        String first(String name);

        /** Every field line named {@code name}, in order; empty when none. */
        List<String> all(String name);
    }
}
