package dev.upstreamguard.core.validate;

import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.ValidationContext;

/**
 * An extra check of a response head, run by {@link ResponseHeadValidator} after its own rules passed,
 * in the order given. Implementations must be thread-safe, fast and must not throw.
 */
@FunctionalInterface
public interface ValidationRule {

    /**
     * Checks one response head.
     *
     * @param head    the head as received
     * @param context what the request asked for
     * @return the failure (normally in {@link dev.upstreamguard.core.Phase#READ_HEAD}), or {@code null}
     *         when the head is acceptable
     */
    UpstreamFailure check(ResponseHead head, ValidationContext context);
}
