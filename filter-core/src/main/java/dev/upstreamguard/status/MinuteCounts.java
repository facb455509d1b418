package dev.upstreamguard.status;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The failures of one wall-clock minute.
 *
 * @param start       the first instant of the minute
 * @param byError     proxy-made failures by RFC 9209 error token, only the types that occurred, in the order
 *                    of {@link dev.upstreamguard.core.ErrorType}
 * @param upstream5xx upstream 5xx responses passed through in that minute (not proxy-made, so not by type)
 */
public record MinuteCounts(Instant start, Map<String, Long> byError, long upstream5xx) {

    /** Freezes the map, keeping its order. */
    public MinuteCounts {
        Objects.requireNonNull(start, "start");
        byError = Collections.unmodifiableMap(new LinkedHashMap<>(byError));
        if (upstream5xx < 0 || byError.values().stream().anyMatch(n -> n == null || n < 0)) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    /** The count for {@code errorToken}, 0 when none. */
    public long count(String errorToken) {
        return byError.getOrDefault(errorToken, 0L);
    }

    /** Proxy-made failures plus passed-through upstream 5xx. */
    public long total() {
        long sum = upstream5xx;
        for (long n : byError.values()) {
            sum += n;
        }
        return sum;
    }
}
