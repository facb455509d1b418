package dev.upstreamguard.core;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code Via} field (RFC 9110 §7.6.3): {@code 1#( received-protocol RWS received-by [ RWS comment ] )}.
 * Proxies name themselves by a pseudonym, never a host name, and refuse a request that already names them
 * ({@code proxy_loop_detected}, RFC 9209 §2.3.32).
 */
public final class Via {

    private Via() {
    }

    /** {@code upstream-guard-} and 8 random hex digits: a pseudonym new for each process. */
    public static String randomPseudonym() {
        return "upstream-guard-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    /**
     * Whether any element of the {@code Via} field lines names {@code pseudonym} as its {@code received-by}
     * (case-insensitive); tolerant of malformed elements, which name nobody.
     */
    public static boolean namesReceivedBy(List<String> fieldLines, String pseudonym) {
        for (String line : fieldLines) {
            for (String element : line.split(",")) {
                String[] protocolAndBy = element.trim().split("[ \t]+", 3);
                if (protocolAndBy.length >= 2 && protocolAndBy[1].equalsIgnoreCase(pseudonym)) {
                    return true;
                }
            }
        }
        return false;
    }
}
