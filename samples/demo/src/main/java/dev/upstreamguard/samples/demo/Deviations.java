package dev.upstreamguard.samples.demo;

import dev.upstreamguard.testkit.ClientDeviations;
import dev.upstreamguard.testkit.ClientDeviations.Deviation;

import java.util.Map;

/**
 * Each packaging's documented deviations from the list, as its README and conformance test state them
 * (jetty-module: {@code GuardedProxyScenariosTest.JETTY_DEVIATIONS}; spring-gateway-starter:
 * {@code GatewayDeviations}; the servlet filter: {@link ClientDeviations#JDK_HTTP_CLIENT}).
 */
final class Deviations {

    /** The guarded Jetty proxy. */
    static final Map<String, Deviation> JETTY = Map.of(
            "bad-chunk-size", new Deviation(502, "http_response_incomplete",
                    "Jetty's client reports an invalid chunk size as an early EOF, the same signal as a chunked body"
                            + " cut short; nothing was committed yet, so the verdict is http_response_incomplete"));

    /** Spring Cloud Gateway with the starter. */
    static final Map<String, Deviation> GATEWAY = Map.of(
            "invalid-header-name", new Deviation(200, null,
                    "Netty cuts the field name at the space: 'Bad Header: x' arrives as 'Bad: x', a valid field"),
            "obs-fold", new Deviation(200, null,
                    "Netty unfolds obs-fold into one space before the gateway sees the head (the repair RFC 9112"
                            + " section 5.2 allows a proxy)"));

    /** The servlet application, which calls the upstream with the JDK HttpClient. */
    static final Map<String, Deviation> SERVLET_APP = ClientDeviations.JDK_HTTP_CLIENT;

    private Deviations() {
    }
}
