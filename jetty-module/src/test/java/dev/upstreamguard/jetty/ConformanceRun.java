package dev.upstreamguard.jetty;

import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Outcome;
import dev.upstreamguard.testkit.Scenario;
import dev.upstreamguard.testkit.Scenarios;

import java.io.IOException;
import java.time.Duration;

/** Runs one scenario through a proxy on {@code port} with a raw socket and reports what the client saw. */
final class ConformanceRun {

    /** The guarded proxy's timeouts for the list: the test kit's recommendation. */
    static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(2), Scenarios.RECOMMENDED_CONNECT_TIMEOUT,
            Duration.ofSeconds(2), Scenarios.RECOMMENDED_RESPONSE_TIMEOUT, Duration.ofSeconds(3), Duration.ZERO);

    private static final int CLIENT_TIMEOUT_MILLIS = 10_000;

    /**
     * What the client saw.
     *
     * @param status      the status received, -1 for none
     * @param proxyStatus the {@code Proxy-Status} value, or {@code null}
     * @param truncated   whether the body was cut short (fewer bytes than Content-Length, no last-chunk, reset)
     * @param raw         the exchange
     */
    record Seen(int status, String proxyStatus, boolean truncated, RawHttp.Exchange raw) {
        String summary() {
            if (raw.timedOut()) {
                return (status < 0 ? "no response" : status + " then the body hung") + " for 10 s (connection left open)";
            }
            if (status < 0) {
                return raw.reset() ? "connection reset, no response" : "connection closed, no response";
            }
            String s = String.valueOf(status);
            if (truncated) {
                s += " then truncated body";
            }
            if (raw.text().contains("Powered by Jetty")) {
                s += " (Jetty HTML error page)";
            }
            return s;
        }
    }

    private ConformanceRun() {
    }

    static Seen run(int port, Scenario scenario, MisbehavingUpstream upstream) throws IOException {
        RawHttp.Exchange raw = RawHttp.get(port, ScenarioRoutes.pathOf(scenario, upstream), CLIENT_TIMEOUT_MILLIS);
        return new Seen(raw.status(), raw.header("Proxy-Status"), truncated(raw), raw);
    }

    /** Whether the body ended early: short of Content-Length, or chunked without the last-chunk. */
    static boolean truncated(RawHttp.Exchange raw) {
        if (raw.status() < 0) {
            return false;
        }
        if (raw.timedOut()) {
            return true;
        }
        String length = raw.header("Content-Length");
        if (length != null) {
            return raw.body().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1).length < Long.parseLong(length);
        }
        if ("chunked".equalsIgnoreCase(raw.header("Transfer-Encoding"))) {
            return !raw.body().endsWith("0\r\n\r\n");
        }
        return false;
    }

    /** Whether what the client saw is what the scenario expects of a guarded proxy. */
    static boolean meetsExpectation(Scenario s, Seen seen, String memberName) {
        String ours = memberName + ";error=" + s.expectedError();
        return switch (s.outcome()) {
            case VERDICT -> seen.status() == s.expectedStatus() && seen.proxyStatus() != null
                    && seen.proxyStatus().startsWith(ours) && !seen.truncated();
            case TRUNCATED -> (seen.status() == s.expectedStatus() && seen.truncated())
                    || (seen.status() == 502 && seen.proxyStatus() != null && seen.proxyStatus().startsWith(ours));
            case PASSED_THROUGH -> seen.status() == s.expectedStatus() && seen.proxyStatus() != null
                    && seen.proxyStatus().endsWith(memberName + ";received-status=" + s.expectedStatus());
            case CONTROL -> seen.status() == 200 && seen.proxyStatus() == null && !seen.truncated()
                    && seen.raw().body().equals(MisbehavingUpstream.CONTROL_BODY);
        };
    }

    static boolean isFailureOutcome(Outcome outcome) {
        return outcome == Outcome.VERDICT || outcome == Outcome.TRUNCATED;
    }
}
