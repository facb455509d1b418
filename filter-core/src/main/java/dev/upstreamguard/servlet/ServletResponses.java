package dev.upstreamguard.servlet;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.validate.ResponseHead;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writing verdicts to, and reading heads from, servlet responses. */
final class ServletResponses {

    private ServletResponses() {
    }

    /**
     * Replaces whatever the response holds (status, headers, buffer) with {@code error}. The caller has
     * checked that nothing is committed.
     */
    static void write(HttpServletResponse response, ErrorResponse error) throws IOException {
        write(response, error, List.of());
    }

    /** Like {@link #write(HttpServletResponse, ErrorResponse)}, keeping {@code extraHeaders} (e.g. RateLimit fields). */
    static void write(HttpServletResponse response, ErrorResponse error, List<Map.Entry<String, String>> extraHeaders)
            throws IOException {
        response.reset();
        for (Map.Entry<String, String> h : extraHeaders) {
            response.setHeader(h.getKey(), h.getValue());
        }
        response.setStatus(error.status());
        for (Map.Entry<String, String> h : error.headers()) {
            if (h.getKey().equalsIgnoreCase("Content-Type")) {
                response.setContentType(h.getValue());
            } else {
                response.setHeader(h.getKey(), h.getValue());
            }
        }
        response.setContentLength(error.body().length);
        response.getOutputStream().write(error.body());
    }

    /** A snapshot of the response's current head, as the container would send it (minus its own fields). */
    static ResponseHead head(HttpServletResponse response) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (String name : response.getHeaderNames()) {
            for (String value : response.getHeaders(name)) {
                fields.add(Map.entry(name, value == null ? "" : value));
            }
        }
        return ResponseHead.of(response.getStatus(), null, fields);
    }
}
