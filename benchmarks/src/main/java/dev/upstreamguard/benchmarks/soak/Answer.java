package dev.upstreamguard.benchmarks.soak;

import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Outcome;
import dev.upstreamguard.testkit.Scenario;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the client got for one request of the soak.
 *
 * @param id        the request's id ({@code soak=<id>})
 * @param kase      its case
 * @param upstreamB whether the load generator sent it to B (servlet packaging only)
 * @param started   {@link System#nanoTime()} when it was sent
 * @param ended     when its answer (body included) was complete or failed
 * @param status    the status, or 0 when no head arrived
 * @param error     the {@code error} token of {@code Proxy-Status}, or null
 * @param truncated whether the body ended early (an exception while reading it)
 * @param control   whether the body was complete and exactly the test kit's control body
 * @param failure   the exception when no head arrived, else null
 */
record Answer(long id, Case kase, boolean upstreamB, long started, long ended, int status, String error,
              boolean truncated, boolean control, String failure) {

    private static final Pattern ERROR = Pattern.compile("error=([A-Za-z0-9_.*-]+)");
    private static final byte[] CONTROL = MisbehavingUpstream.controlBodyBytes();

    /** Whether {@code body} is the control body. */
    static boolean isControl(byte[] body) {
        return Arrays.equals(body, CONTROL);
    }
    /** What a flapping upstream may cause, next to the expected answer. */
    private static final Set<String> FLAP_ERRORS = Set.of("connection_refused", "connection_terminated",
            "http_response_incomplete");

    /** The {@code error} parameter of a {@code Proxy-Status} field value, or null. */
    static String errorOf(String proxyStatus) {
        if (proxyStatus == null) {
            return null;
        }
        Matcher m = ERROR.matcher(proxyStatus);
        return m.find() ? m.group(1) : null;
    }

    /** Whether this answer is one the test kit's scenario expects. */
    boolean expected() {
        Scenario s = kase.scenario();
        if (failure != null) {
            return false;
        }
        if (s.outcome() == Outcome.CONTROL) {
            return status == 200 && !truncated && control;
        }
        if (s.outcome() == Outcome.TRUNCATED) {
            return status == s.expectedStatus() && truncated;
        }
        return status == s.expectedStatus() && s.expectedError().equals(error) && !truncated;
    }

    /**
     * Whether a truncated response reached the client as a failed exchange with no head at all: the response
     * was aborted right after its head was written, and the client's connection ended before it had parsed the
     * head. The client never saw a complete response, which is what truncation must guarantee; the report counts
     * these apart.
     */
    boolean truncatedWithoutHead() {
        return kase.scenario().outcome() == Outcome.TRUNCATED && "IOException".equals(failure);
    }

    /**
     * Whether it is one a flapping upstream can cause: a connection cut under the request (any packaging), or
     * refused (only where nothing retries: the servlet application).
     */
    boolean flapLike(boolean refusedToo) {
        return failure == null && ((status == 502 && FLAP_ERRORS.contains(error)
                && (refusedToo || !"connection_refused".equals(error))) || (status == 200 && truncated));
    }

    /** e.g. {@code 502 connection_terminated}, {@code 200 truncated} or {@code no answer: HttpTimeoutException}. */
    String summary() {
        if (failure != null) {
            return "no answer: " + failure;
        }
        return status + (error == null ? "" : " " + error) + (truncated ? " truncated" : "");
    }

    long latencyMillis() {
        return (ended - started) / 1_000_000;
    }
}
