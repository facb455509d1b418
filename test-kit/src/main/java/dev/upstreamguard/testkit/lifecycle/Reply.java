package dev.upstreamguard.testkit.lifecycle;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the client saw of one request through the packaging under test.
 *
 * @param status  the response status
 * @param headers the response's header fields by name, compared case-insensitively
 * @param body    the response body as ISO-8859-1 text
 * @param elapsed from sending the request to the end of the response body
 */
public record Reply(int status, Map<String, List<String>> headers, String body, Duration elapsed) {

    /** Copies the fields into a case-insensitive map. */
    public Reply {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(elapsed, "elapsed");
        Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> fields.merge(name, List.copyOf(values),
                (a, b) -> Stream.concat(a.stream(), b.stream()).toList()));
        headers = Collections.unmodifiableMap(fields);
    }

    /** The first value of field {@code name}, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The {@code Proxy-Status} field (its lines joined with {@code ", "}), or {@code null}. */
    public String proxyStatus() {
        List<String> values = headers.get("proxy-status");
        return values == null || values.isEmpty() ? null : String.join(", ", values);
    }

    @Override
    public String toString() {
        return status + " Proxy-Status=" + proxyStatus() + " after " + elapsed.toMillis() + " ms";
    }
}
