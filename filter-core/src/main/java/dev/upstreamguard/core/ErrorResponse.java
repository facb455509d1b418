package dev.upstreamguard.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A proxy-made error response, ready for any packaging to write: status, header fields and body.
 *
 * @param status  the status code
 * @param headers header fields in order ({@code Proxy-Status}, {@code Retry-After}, {@code Content-Type},
 *                {@code Cache-Control}); set, not added, by the packaging
 * @param body    the body (problem details or plain text), possibly empty
 */
public record ErrorResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    /** Freezes the header list. */
    public ErrorResponse {
        headers = List.copyOf(headers);
    }

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
