package dev.upstreamguard.testkit;

import java.util.Map;

/**
 * Scenarios where an application that calls the upstream with a given HTTP client cannot get the
 * listed verdict, because the client rewrites or misreads the bytes before anyone else sees them.
 * Packagings that sit on such a client assert these instead of the list, so a client change shows up.
 */
public final class ClientDeviations {

    /** What is answered instead of the listed verdict, and why. {@code error} is null for a plain 200. */
    public record Deviation(int status, String error, String why) {
    }

    /**
     * The JDK {@code java.net.http.HttpClient} over HTTP/1.1, with {@code jdk.http.maxHeaderSize=16384}
     * (a gateway's setting; the JDK's default is 384 KiB).
     */
    public static final Map<String, Deviation> JDK_HTTP_CLIENT = Map.of(
            "bare-cr-in-value", new Deviation(200, null,
                    "the JDK client drops the field with the bare CR; the head the guard sees is clean"),
            "bare-lf-in-value", new Deviation(200, null,
                    "the JDK client takes a bare LF as a line end: 'Set-Cookie: smuggled=1' arrives as a field of its own"),
            "obs-fold", new Deviation(200, null,
                    "the JDK client unfolds obs-fold into one space, the repair RFC 9112 section 5.2 allows"),
            "huge-header", new Deviation(502, "http_response_header_section_size",
                    "the JDK client's own limit for the whole head (jdk.http.maxHeaderSize) trips before the guard"
                            + " sees the head, and it names no field"),
            "tls-on-plain-port", new Deviation(502, "http_response_incomplete",
                    "the JDK client waits for a status line inside the TLS record and reports the closed connection"));

    /**
     * How often the JDK client sends a GET (or HEAD) whose connection the upstream closed or reset after
     * reading it, before any response byte: twice. It takes the dropped connection for an expired pooled
     * one ({@code ConnectionExpiredException}) and retries an idempotent request once on a new connection,
     * even on a fresh connection; no property turns this off (JDK 17). POST and PUT are sent once. An
     * application behind the servlet filter that calls with this client shows it in the lifecycle suite.
     */
    public static final int JDK_HTTP_CLIENT_SENDS_OF_A_DROPPED_GET = 2;

    /** The JDK client's header limit these deviations assume. */
    public static final int JDK_MAX_HEADER_SIZE = 16384;

    private ClientDeviations() {
    }
}
