package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;

/**
 * Adapter for one gap in the core: Reactor Netty says "prematurely closed BEFORE response" until the head
 * is complete, and the core takes that message over the observed phase. When the starter saw response
 * bytes arrive ({@link Phase#READ_HEAD}), the close came after part of the head: RFC 9209 §2.3.18
 * {@code http_response_incomplete}, not {@code connection_terminated} (§2.3.8).
 */
final class HeadPhase {
    static final String CLOSED_MID_HEAD = "connection closed or reset by upstream after part of the response head";

    private HeadPhase() {
    }

    /** {@code failure} as the observed phase says it must be; {@code null} stays {@code null}. */
    static UpstreamFailure correct(UpstreamFailure failure, Phase observed) {
        if (failure == null || observed != Phase.READ_HEAD || failure.type() != ErrorType.CONNECTION_TERMINATED) {
            return failure;
        }
        return UpstreamFailure.of(ErrorType.HTTP_RESPONSE_INCOMPLETE, Phase.READ_HEAD)
                .withDetails(CLOSED_MID_HEAD).withCause(failure.cause());
    }
}
