package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.ClientDeviations.Deviation;

import java.util.Map;

/**
 * Scenarios where the gateway with the starter cannot give the listed verdict, because Reactor Netty's
 * HTTP decoder (Netty 4.2) rewrote the bytes before any gateway filter sees the head, and left no trace.
 * Asserted as they really behave, so a Netty change shows up.
 */
final class GatewayDeviations {

    static final Map<String, Deviation> ALL = Map.of(
            "invalid-header-name", new Deviation(200, null,
                    "Netty cuts the field name at the space: 'Bad Header: x' arrives as 'Bad: x', a valid field"),
            "obs-fold", new Deviation(200, null,
                    "Netty unfolds obs-fold into one space before the head reaches the gateway (the repair"
                            + " RFC 9112 section 5.2 allows a proxy)"));

    private GatewayDeviations() {
    }
}
