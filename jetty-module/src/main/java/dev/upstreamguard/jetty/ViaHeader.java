package dev.upstreamguard.jetty;

import java.util.List;

/** Reads {@code Via} (RFC 9110 §7.6.3): {@code 1#( received-protocol RWS received-by [ RWS comment ] )}. */
final class ViaHeader {

    private ViaHeader() {
    }

    /** Whether any {@code Via} element names {@code pseudonym} as its {@code received-by} (case-insensitive). */
    static boolean contains(List<String> fieldValues, String pseudonym) {
        for (String value : fieldValues) {
            for (String element : value.split(",")) {
                String[] parts = element.trim().split("[ \t]+", 3);
                if (parts.length >= 2 && parts[1].equalsIgnoreCase(pseudonym)) {
                    return true;
                }
            }
        }
        return false;
    }
}
