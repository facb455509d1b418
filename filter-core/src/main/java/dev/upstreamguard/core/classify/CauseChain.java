package dev.upstreamguard.core.classify;

import java.util.Arrays;

/** A throwable and its causes, outermost first, without repeats and at most a given length. */
final class CauseChain {

    private CauseChain() {
    }

    static Throwable[] of(Throwable root, int maxDepth) {
        Throwable[] chain = new Throwable[maxDepth];
        int length = 0;
        for (Throwable t = root; t != null && length < maxDepth && !contains(chain, length, t); t = t.getCause()) {
            chain[length++] = t;
        }
        return length == maxDepth ? chain : Arrays.copyOf(chain, length);
    }

    private static boolean contains(Throwable[] chain, int length, Throwable t) {
        for (int i = 0; i < length; i++) {
            if (chain[i] == t) {
                return true;
            }
        }
        return false;
    }
}
