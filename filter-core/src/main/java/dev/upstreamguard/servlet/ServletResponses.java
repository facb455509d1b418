package dev.upstreamguard.servlet;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.ResponseHead;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

    /**
     * Removes the field lines at {@code indices} of {@code head} (a {@link #head} snapshot of
     * {@code response}) and nothing else: the servlet API removes a name with all its values, so the
     * other values of each affected name are added back, in their order.
     */
    static void removeFieldLines(HttpServletResponse response, ResponseHead head, Collection<Integer> indices) {
        Set<Integer> removed = new HashSet<>(indices);
        Set<String> done = new HashSet<>();
        for (int i : indices) {
            String name = head.fieldName(i);
            if (!done.add(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            List<String> kept = new ArrayList<>();
            for (int j = 0, n = head.fieldCount(); j < n; j++) {
                if (!removed.contains(j) && head.fieldName(j).equalsIgnoreCase(name)) {
                    kept.add(head.fieldValue(j));
                }
            }
            response.setHeader(name, null);
            for (String value : kept) {
                response.addHeader(name, value);
            }
        }
    }

    /** A snapshot of the response's current head, as the container would send it (minus its own fields). */
    static ResponseHead head(HttpServletResponse response) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : response.getHeaderNames()) {
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                continue;   // getHeaders is case-insensitive: the values were taken under the other spelling
            }
            for (String value : response.getHeaders(name)) {
                fields.add(Map.entry(name, value == null ? "" : value));
            }
        }
        return ResponseHead.of(response.getStatus(), null, fields);
    }
}
