package dev.upstreamguard.testkit;

import static dev.upstreamguard.testkit.Outcome.CONTROL;
import static dev.upstreamguard.testkit.Outcome.PASSED_THROUGH;
import static dev.upstreamguard.testkit.Outcome.TRUNCATED;
import static dev.upstreamguard.testkit.Outcome.VERDICT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The conformance list every packaging (servlet filter, Jetty proxy module, Spring Cloud Gateway
 * starter) runs against a {@link MisbehavingUpstream}, so that all of them classify failures the same
 * way (the taxonomy in the root README's error table).
 *
 * <p>Timing contract. Run the list with a connect timeout of about {@link #RECOMMENDED_CONNECT_TIMEOUT},
 * a response-head timeout of about {@link #RECOMMENDED_RESPONSE_TIMEOUT} (a deadline for the whole head,
 * not an idle timeout), no read-idle timeout shorter than the response-head timeout, and an upstream
 * started with the default trickle interval. Then {@link Fault#STALL} and {@link Fault#SLOW_HEAD} (whose
 * head takes {@code 10 × 200 ms = 2 s}, with a byte every 200 ms) both end in 504
 * {@code http_response_timeout}: SLOW_HEAD is defined as "slower than the response-head timeout", which
 * tells a head deadline apart from an idle timeout that every trickled piece would reset.
 */
public final class Scenarios {

    /** The connect timeout a packaging should use when it runs this list. */
    public static final Duration RECOMMENDED_CONNECT_TIMEOUT = Duration.ofMillis(500);
    /** The response-head timeout a packaging should use when it runs this list (shorter than SLOW_HEAD). */
    public static final Duration RECOMMENDED_RESPONSE_TIMEOUT = Duration.ofSeconds(1);

    private static final String PROTOCOL_ERROR = "http_protocol_error";
    private static final String INCOMPLETE = "http_response_incomplete";
    private static final String TERMINATED = "connection_terminated";

    private static final Map<String, Scenario> BY_NAME = index(buildAll());

    private Scenarios() {
    }

    /** Every scenario, in a stable order: target-level ones first, then one per {@link Fault}. */
    public static List<Scenario> all() {
        return List.copyOf(BY_NAME.values());
    }

    /**
     * The scenario with this name.
     *
     * @throws NoSuchElementException when there is none
     */
    public static Scenario named(String name) {
        Scenario scenario = BY_NAME.get(name);
        if (scenario == null) {
            throw new NoSuchElementException("no scenario named '" + name + "'; known: " + BY_NAME.keySet());
        }
        return scenario;
    }

    private static List<Scenario> buildAll() {
        List<Scenario> all = new ArrayList<>();
        all.add(new Scenario("connection-refused", null, Target.REFUSED, 502, "connection_refused", VERDICT,
                "TCP connect is refused (RST to the SYN)"));
        all.add(new Scenario("connect-timeout", null, Target.CONNECT_TIMEOUT, 504, "connection_timeout", VERDICT,
                "TCP connect gets no answer and times out"));
        all.add(new Scenario("dns-error", null, Target.UNRESOLVABLE, 502, "dns_error", VERDICT,
                "the host name (*.invalid) does not resolve"));
        for (Fault fault : Fault.values()) {
            all.add(forFault(fault));
        }
        return all;
    }

    private static Scenario forFault(Fault fault) {
        return switch (fault) {
            case CONTROL_OK -> control(fault, "a well-formed 200 is relayed byte for byte");
            case RESET_BEFORE_RESPONSE -> verdict(fault, 502, TERMINATED, "reset before any response byte");
            case CLOSE_BEFORE_RESPONSE -> verdict(fault, 502, TERMINATED, "closed before any response byte");
            case CLOSE_MID_HEAD -> verdict(fault, 502, INCOMPLETE, "closed after part of the response head");
            case STALL -> verdict(fault, 504, "http_response_timeout",
                    "no response head within the response-head timeout (the upstream never answers)");
            case SLOW_HEAD -> verdict(fault, 504, "http_response_timeout",
                    "the head trickles in slower than the response-head timeout (2 s total at the default"
                            + " interval vs. a 1 s timeout); a deadline, not an idle timeout, must fire");
            case TRUNCATED_BODY_CONTENT_LENGTH -> truncated(fault, INCOMPLETE,
                    "closed after 100 of 1000 announced body bytes: the client must see truncation");
            case TRUNCATED_BODY_CHUNKED -> truncated(fault, INCOMPLETE,
                    "closed without the last-chunk: the client must not receive a last-chunk either");
            case RESET_MID_BODY -> truncated(fault, INCOMPLETE,
                    "reset after 100 of 1000 announced body bytes: the client must see truncation");
            case INVALID_HEADER_NAME -> protocolError(fault, "a header field name with a space is not a token");
            case BARE_CR_IN_VALUE -> protocolError(fault, "a bare CR in a field value (RFC 9110 §5.5)");
            case BARE_LF_IN_VALUE -> protocolError(fault,
                    "a bare LF in a field value; the smuggled Set-Cookie must never reach the client");
            case NUL_IN_VALUE -> protocolError(fault, "a NUL in a field value (RFC 9110 §5.5)");
            case OBS_FOLD -> protocolError(fault, "obs-fold in a response (RFC 9112 §5.2)");
            case HUGE_HEADER -> verdict(fault, 502, "http_response_header_size", "one 64 KiB header field");
            case HUGE_HEAD -> verdict(fault, 502, "http_response_header_section_size",
                    "300 fields of 300 bytes: each field is small, the section is not");
            case BAD_STATUS_LINE -> protocolError(fault, "the status code is not three digits");
            case HTTP09 -> protocolError(fault, "no status line at all (HTTP/0.9 style); must not be relayed as 200");
            case STATUS_999 -> protocolError(fault, "status code 999 is outside 100-599");
            case DUPLICATE_CONTENT_LENGTH -> protocolError(fault, "two differing Content-Length values (RFC 9112 §6.3)");
            case TRANSFER_ENCODING_WITH_CONTENT_LENGTH -> protocolError(fault,
                    "Transfer-Encoding together with Content-Length (RFC 9112 §6.3)");
            case BAD_CHUNK_SIZE -> truncated(fault, "http_response_transfer_coding",
                    "the head is valid, so the 200 may already be committed; the invalid chunk size then"
                            + " truncates the body");
            case UPSTREAM_500 -> passedThrough(fault, 500);
            case UPSTREAM_502 -> passedThrough(fault, 502);
            case UPSTREAM_503_RETRY_AFTER -> passedThrough(fault, 503);
            case UPSTREAM_504 -> passedThrough(fault, 504);
            case INTERIM_1XX_THEN_200 -> control(fault, "a 103 interim response, then the control 200");
            case SWITCHING_101_WITHOUT_UPGRADE -> protocolError(fault, "101 although no upgrade was requested");
            case TLS_ON_PLAIN_PORT -> protocolError(fault, "TLS record bytes instead of an HTTP response");
        };
    }

    private static Scenario verdict(Fault fault, int status, String error, String description) {
        return new Scenario(fault.kebabName(), fault, Target.FAULT_PATH, status, error, VERDICT, description);
    }

    private static Scenario protocolError(Fault fault, String description) {
        return verdict(fault, 502, PROTOCOL_ERROR, description);
    }

    private static Scenario truncated(Fault fault, String error, String description) {
        return new Scenario(fault.kebabName(), fault, Target.FAULT_PATH, 200, error, TRUNCATED, description);
    }

    private static Scenario passedThrough(Fault fault, int status) {
        return new Scenario(fault.kebabName(), fault, Target.FAULT_PATH, status, null, PASSED_THROUGH,
                "the upstream's own " + status + " is relayed with received-status=" + status
                        + (status == 503 ? " and its Retry-After" : ""));
    }

    private static Scenario control(Fault fault, String description) {
        return new Scenario(fault.kebabName(), fault, Target.FAULT_PATH, 200, null, CONTROL, description);
    }

    private static Map<String, Scenario> index(List<Scenario> scenarios) {
        Map<String, Scenario> byName = new LinkedHashMap<>();
        for (Scenario scenario : scenarios) {
            if (byName.putIfAbsent(scenario.name(), scenario) != null) {
                throw new IllegalStateException("duplicate scenario name " + scenario.name());
            }
        }
        return byName;
    }
}
