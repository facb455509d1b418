package dev.upstreamguard.testkit;

import dev.upstreamguard.testkit.ClientDeviations.Deviation;

import java.util.Map;

/**
 * Every packaging's documented deviations from the conformance list ({@link Scenarios}), by scenario name:
 * where the HTTP client a packaging sits on rewrites or misreads the upstream's bytes before the guard sees
 * them, so the listed verdict cannot be given. The packagings' conformance tests assert these as they
 * really behave (so a client change shows up), their READMEs describe them, and the demo prints them; this
 * class is their single home.
 */
public final class Deviations {

    /** The Jetty module (Jetty 12.1's HTTP client). */
    public static final Map<String, Deviation> JETTY_MODULE = Map.of(
            "bad-chunk-size", new Deviation(502, "http_response_incomplete",
                    "Jetty's client reports an invalid chunk size as an early EOF (java.io.EOFException from"
                            + " HttpReceiverOverHTTP.earlyEOF), the same signal as a chunked body cut short; nothing"
                            + " was committed yet, so the verdict is http_response_incomplete instead of"
                            + " http_response_transfer_coding"));

    /**
     * Spring Cloud Gateway with the starter (Reactor Netty's HTTP decoder, Netty 4.2): none. The decoder cuts a
     * field name at a space and unfolds obs-fold, so the starter reads the raw head bytes before it does.
     */
    public static final Map<String, Deviation> GATEWAY_STARTER = Map.of();

    /** A servlet application behind the filter that calls the upstream with the JDK HttpClient. */
    public static final Map<String, Deviation> SERVLET_FILTER_WITH_JDK_CLIENT = ClientDeviations.JDK_HTTP_CLIENT;

    private Deviations() {
    }
}
