package dev.upstreamguard.core.diagnostics;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An RFC 9457 problem details object, as {@link ProblemDetails#toJson(Problem)} writes it.
 *
 * @param type       §3.1.1: a URI reference naming the problem type; {@code null} means {@code about:blank}
 * @param title      §3.1.4: the short summary of the type, or {@code null}
 * @param status     §3.1.2: the HTTP status code of this occurrence (100..599)
 * @param detail     §3.1.4: a sentence about this occurrence, or {@code null}; never an exception message
 * @param errorToken the RFC 9209 error token, written as the extension member {@code error}, or {@code null}
 * @param requestId  the request id, written as the extension member {@code request_id}, or {@code null}
 * @param extensions further extension members (§3.2), in order; values are {@link String}, {@link Boolean},
 *                   integral {@link Number}s, finite {@link Double}/{@link Float} or {@link BigDecimal}, or a
 *                   {@link List} of {@link Map}s (JSON objects) with such values
 */
public record Problem(String type, String title, int status, String detail, String errorToken, String requestId,
                      Map<String, Object> extensions) {

    /** The member names this library writes itself, which extensions may not reuse. */
    public static final Set<String> RESERVED_MEMBERS =
            Set.of("type", "title", "status", "detail", "instance", "error", "request_id");

    /** Validates the status and the extensions and freezes the extensions. */
    public Problem {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("problem status must be an HTTP status code (100..599): " + status);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        if (extensions != null) {
            for (Map.Entry<String, Object> e : extensions.entrySet()) {
                String key = Objects.requireNonNull(e.getKey(), "extension member name");
                if (RESERVED_MEMBERS.contains(key)) {
                    throw new IllegalArgumentException("extension member '" + key + "' is reserved: " + RESERVED_MEMBERS);
                }
                copy.put(key, checkValue(key, e.getValue()));
            }
        }
        extensions = Collections.unmodifiableMap(copy);
    }

    private static Object checkValue(String key, Object value) {
        if (value instanceof List<?> list) {
            List<Map<String, Object>> objects = new ArrayList<>(list.size());
            for (Object element : list) {
                if (!(element instanceof Map<?, ?> object)) {
                    throw new IllegalArgumentException("extension member '" + key + "' must hold JSON objects (Maps)");
                }
                Map<String, Object> copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : object.entrySet()) {
                    String name = String.valueOf(Objects.requireNonNull(e.getKey(), "member name"));
                    copy.put(name, checkScalar(key + "." + name, e.getValue()));
                }
                objects.add(Collections.unmodifiableMap(copy));
            }
            return List.copyOf(objects);
        }
        return checkScalar(key, value);
    }

    private static Object checkScalar(String key, Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger
                || value instanceof BigDecimal) {
            return value;
        }
        if ((value instanceof Double && Double.isFinite((Double) value))
                || (value instanceof Float && Float.isFinite((Float) value))) {
            return value;
        }
        throw new IllegalArgumentException("extension member '" + key + "' must be a String, Boolean or finite number,"
                + " was " + (value == null ? "null" : value.getClass().getName() + " " + value));
    }
}
