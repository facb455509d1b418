package dev.upstreamguard.core.diagnostics;

import java.util.Map;

/**
 * The structured type RFC 9209 gives each {@code Proxy-Status} parameter we may write: §2.1 for the
 * general parameters, §2.3 for the extra parameters of the proxy error types.
 */
enum ParameterKind {
    /** An sf-integer. */
    INTEGER,
    /** An sf-string. */
    STRING,
    /** An sf-token; written as an sf-string when the value is not a valid token, so it stays parseable. */
    TOKEN_OR_STRING;

    private static final Map<String, ParameterKind> BY_NAME = Map.ofEntries(
            Map.entry("error", TOKEN_OR_STRING),              // §2.1.1 (Token)
            Map.entry("next-hop", TOKEN_OR_STRING),           // §2.1.2 (String or Token)
            Map.entry("next-protocol", TOKEN_OR_STRING),      // §2.1.3 (Token or Byte Sequence)
            Map.entry("received-status", INTEGER),            // §2.1.4
            Map.entry("details", STRING),                     // §2.1.5
            Map.entry("rcode", STRING),                       // §2.3.2
            Map.entry("info-code", INTEGER),                  // §2.3.2
            Map.entry("alert-id", INTEGER),                   // §2.3.15
            Map.entry("alert-message", TOKEN_OR_STRING),      // §2.3.15 (Token or String)
            Map.entry("status-code", INTEGER),                // §2.3.16
            Map.entry("status-phrase", STRING),               // §2.3.16
            Map.entry("header-section-size", INTEGER),        // §2.3.19
            Map.entry("header-name", STRING),                 // §2.3.20
            Map.entry("header-size", INTEGER),                // §2.3.20
            Map.entry("body-size", INTEGER),                  // §2.3.21
            Map.entry("trailer-section-size", INTEGER),       // §2.3.22
            Map.entry("trailer-name", STRING),                // §2.3.23
            Map.entry("trailer-size", INTEGER),               // §2.3.23
            Map.entry("coding", TOKEN_OR_STRING));            // §2.3.24, §2.3.25 (Token)

    /** The kind RFC 9209 defines for {@code name}, or {@code null} for a parameter it does not define. */
    static ParameterKind of(String name) {
        return BY_NAME.get(name);
    }
}
