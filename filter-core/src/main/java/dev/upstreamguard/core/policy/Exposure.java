package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.StructuredFields;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Who may see the diagnostics that can reveal internals: the {@code details} and {@code next-hop}
 * parameters of {@code Proxy-Status} and the details sentence of a problem document. RFC 9209 §4: such
 * information "might only be suitable to reveal to authorized parties".
 */
public enum Exposure {
    /** Nobody: only error types, statuses and sizes are sent. */
    NEVER,
    /**
     * Clients whose address is in the trusted set (by default empty: nobody). Loopback is not trusted by
     * default: behind a reverse proxy on the same host or a sidecar, every client arrives from loopback.
     */
    TRUSTED,
    /** Every client; for development and closed networks only. */
    ALWAYS;

    /**
     * The constant named by {@code text}, ignoring case and surrounding whitespace.
     *
     * @throws IllegalArgumentException naming the allowed values otherwise
     */
    public static Exposure parse(String text) {
        String wanted = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        for (Exposure e : values()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown exposure " + StructuredFields.printable(text) + "; allowed: "
                + Arrays.stream(values()).map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
