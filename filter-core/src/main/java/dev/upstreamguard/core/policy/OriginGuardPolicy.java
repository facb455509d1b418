package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.OriginGuardAction;
import java.util.Objects;

/**
 * Settings of the origin-side guard: how large a response header section the proxy in front of this
 * application accepts (nginx's {@code proxy_buffer_size} is one memory page, 4 KiB or 8 KiB, by default)
 * and what to do when the application exceeds it.
 *
 * @param enabled      whether the guard measures the application's response heads at all
 * @param headerBudget the largest header section, in bytes, counting the status line, every
 *                     {@code name: value\r\n} and the final CRLF
 * @param action       what to do on a violation
 */
public record OriginGuardPolicy(boolean enabled, int headerBudget, OriginGuardAction action) {
    /** 4 KiB: the smaller of nginx's two platform defaults for {@code proxy_buffer_size}. */
    public static final int DEFAULT_HEADER_BUDGET = 4096;
    /** The smallest budget accepted: a status line and a few fields. */
    public static final int MIN_HEADER_BUDGET = 256;

    /** Validates the values. */
    public OriginGuardPolicy {
        Objects.requireNonNull(action, "action");
        if (headerBudget < MIN_HEADER_BUDGET) {
            throw new IllegalArgumentException("headerBudget must be >= " + MIN_HEADER_BUDGET + ", was " + headerBudget);
        }
    }

    /** Enabled, 4 KiB, {@link OriginGuardAction#WARN}. */
    public static OriginGuardPolicy defaults() {
        return new OriginGuardPolicy(true, DEFAULT_HEADER_BUDGET, OriginGuardAction.WARN);
    }
}
