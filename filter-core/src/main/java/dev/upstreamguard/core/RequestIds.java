package dev.upstreamguard.core;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids echoed in problem details and log lines: a client-supplied id is reused when it is safe to
 * echo (1–64 characters of {@code A-Z a-z 0-9 . _ : -}), otherwise a random 16-hex-digit id is made.
 */
public final class RequestIds {
    private static final int MAX_LENGTH = 64;

    private RequestIds() {
    }

    /** {@code supplied} when it is safe to echo, else a new id. */
    public static String resolve(String supplied) {
        return isSafe(supplied) ? supplied : generate();
    }

    /** A new random id of 16 lower-case hex digits. */
    public static String generate() {
        String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** Whether {@code id} may be echoed: 1–64 characters of {@code A-Z a-z 0-9 . _ : -}. */
    public static boolean isSafe(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
