package dev.upstreamguard.testkit.lifecycle;

import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Scenarios;
import dev.upstreamguard.testkit.SwitchableUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The request-lifecycle conformance suite: <b>sequences</b> of requests with the outcomes every packaging
 * must give for the same configuration — what the client saw, and what the upstreams received (counted by
 * the test kit's upstreams, not inferred from the answers). A packaging's test extends this class and
 * returns its {@link LifecycleHarness}; a sequence that needs a {@link Capability} the harness lacks is
 * skipped with the reason. A packaging that fails a sequence because of a known bug overrides that test
 * method with {@code @Test @Disabled("bug: ...")} and calls {@code super}.
 *
 * <p>Every sequence starts its own proxy and upstreams on loopback and stops them after; every wait is
 * on a response, a counted request or a condition with a bound — no sleeps. The sequences run in the order
 * of their display names (10 right after 1), so the timed ones (5, 6, 10) do not meet a packaging's cold start
 * in a fresh JVM.
 */
@TestMethodOrder(MethodOrderer.DisplayName.class)
public abstract class LifecycleConformance {
    /** What an answer may take beyond the deadline it is bound by (scheduling on a loaded machine). */
    public static final Duration MARGIN = Duration.ofMillis(750);
    /** The route's response timeout where a sequence does not set one. */
    public static final Duration RESPONSE_TIMEOUT = Scenarios.RECOMMENDED_RESPONSE_TIMEOUT;
    /** The longest wait for a condition. */
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final String MEMBER = "upstream-guard;error=";
    /** The documented reasons a failed response gives for not being retried (its {@code not_retried} member). */
    public static final List<String> NOT_RETRIED_REASONS = List.of("budget_exhausted", "method_not_idempotent",
            "body_not_replayable", "response_committed", "deadline_exceeded", "attempts_exhausted",
            "error_not_retryable", "retry_disabled");
    private static final Pattern NOT_RETRIED = Pattern.compile("\"not_retried\":\"([a-z_]*)\"");

    private final List<AutoCloseable> upstreams = new ArrayList<>();
    private LifecycleHarness harness;
    /** Whether the running sequence trusts the loopback client ({@code exposure.trusted-cidrs}). */
    private boolean trusted;

    /** A new harness of the packaging under test; each sequence starts it and it is stopped after. */
    protected abstract LifecycleHarness newHarness();

    @BeforeEach
    void createHarness() {
        harness = newHarness();
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            harness.stop();
        } finally {
            for (AutoCloseable upstream : upstreams) {
                upstream.close();
            }
        }
    }

    // ---- 1. a failing upstream that heals --------------------------------------------------------------

    @Test
    @DisplayName("1. a single upstream that fails ten times is answered 502 each time, never 503, then heals")
    protected void aFailingSingleUpstreamIsNeverTakenOutOfService() throws Exception {
        MisbehavingUpstream upstream = misbehaving();
        harness.start(Map.of(), RESPONSE_TIMEOUT, List.of(upstream.baseUri()));

        for (int i = 1; i <= 10; i++) {
            assertVerdict(get(Fault.RESET_BEFORE_RESPONSE), 502, "connection_terminated", "request " + i);
        }
        assertEquals(10 * harness.sendsOfADroppedGet(), upstream.requestCount(Fault.RESET_BEFORE_RESPONSE),
                "the upstream received each request once: nothing retried, nothing held back");

        Reply healed = get(Fault.CONTROL_OK);
        assertEquals(200, healed.status(), "the healed upstream answers at once: " + healed);
        assertEquals(MisbehavingUpstream.CONTROL_BODY, healed.body());
    }

    // ---- 2. a request that may have been received is never sent twice -------------------------------------

    @Test
    @DisplayName("2. POST, PUT and GET to an upstream that drops the connection after reading them arrive once each")
    protected void aRequestThatMayHaveBeenReceivedIsSentOnce() throws Exception {
        MisbehavingUpstream upstream = misbehaving();
        harness.start(Map.of(), RESPONSE_TIMEOUT, List.of(upstream.baseUri()));

        for (Fault fault : List.of(Fault.RESET_BEFORE_RESPONSE, Fault.CLOSE_BEFORE_RESPONSE)) {
            for (String method : List.of("POST", "PUT", "GET")) {
                Reply reply = harness.send(method, fault.path(), method.equals("GET") ? null : "order=1");
                assertVerdict(reply, 502, "connection_terminated", method + " " + fault.path());
            }
            assertEquals(2 + harness.sendsOfADroppedGet(), upstream.requestCount(fault),
                    fault.path() + ": POST, PUT and GET received once each");
        }
    }

    // ---- 3. retries within the budget, then the budget exhausted ----------------------------------------

    @Test
    @DisplayName("3. a reset GET is retried while the retry budget lasts, then sent once")
    protected void retriesStopWhenTheBudgetIsSpent() throws Exception {
        requires(Capability.UPSTREAM_ATTEMPTS);
        MisbehavingUpstream upstream = misbehaving();
        // no ratio and no floor: the budget holds exactly one retry, and no token comes back during the test
        harness.start(Map.of("retry.conditions", "reset", "retry.budget-ratio", "0", "retry.budget-min-per-second", "0"),
                RESPONSE_TIMEOUT, List.of(upstream.baseUri()));

        assertVerdict(get(Fault.RESET_BEFORE_RESPONSE), 502, "connection_terminated", "first GET");
        assertEquals(2, upstream.requestCount(Fault.RESET_BEFORE_RESPONSE), "the first GET was tried twice");

        assertVerdict(get(Fault.RESET_BEFORE_RESPONSE), 502, "connection_terminated", "second GET");
        assertEquals(3, upstream.requestCount(Fault.RESET_BEFORE_RESPONSE), "the budget is spent: the second GET went once");
    }

    // ---- 4. two upstreams, one ejected and restored ---------------------------------------------------

    @Test
    @DisplayName("4a. a refusing upstream is retried around, ejected, and then not tried while ejected")
    protected void aRefusingUpstreamIsEjectedAndNoLongerTried() throws Exception {
        SwitchableUpstream flapping = switchable();
        MisbehavingUpstream healthy = misbehaving();
        startAndGetAroundTheRefusingOne(Map.of("health.consecutive-failures", "2"), flapping, healthy);
        for (int i = 1; i <= 2; i++) {
            assertControl(harness.send("POST", Fault.CONTROL_OK.path(), "order=" + i),
                    "POST " + i + " (it never left, so it is retried too)");
        }
        assertEquals(8, healthy.requestCount(Fault.CONTROL_OK), "every request reached the healthy upstream once");

        flapping.serve(); // healed, but still ejected (health.base-ejection: 30 s)
        for (int i = 1; i <= 6; i++) {
            assertControl(get(Fault.CONTROL_OK), "GET " + i + " after the refusing upstream healed");
        }
        assertEquals(0, flapping.requestCount(Fault.CONTROL_OK), "the ejected upstream is not tried");
        assertEquals(14, healthy.requestCount(Fault.CONTROL_OK));
    }

    @Test
    @DisplayName("4b. an ejected upstream is tried again when its ejection ends")
    protected void anEjectedUpstreamIsTriedAgainWhenItsEjectionEnds() throws Exception {
        SwitchableUpstream flapping = switchable();
        startAndGetAroundTheRefusingOne(Map.of("health.consecutive-failures", "2", "health.base-ejection", "200ms"),
                flapping, misbehaving());

        flapping.serve();
        long deadline = System.nanoTime() + BOUND.toNanos();
        int sent = 0;
        while (flapping.requestCount(Fault.CONTROL_OK) == 0 && System.nanoTime() < deadline) {
            assertControl(get(Fault.CONTROL_OK), "GET after the upstream healed");
            sent++;
        }

        assertTrue(flapping.requestCount(Fault.CONTROL_OK) > 0,
                "the healed upstream got no request in " + BOUND + " (" + sent + " requests)");
    }

    @Test
    @DisplayName("4c. while one upstream is down, the only one still answering is never ejected: its failures are 502, never 503")
    protected void theOnlyAnsweringUpstreamIsNeverEjected() throws Exception {
        MisbehavingUpstream answering = misbehaving();
        startAndGetAroundTheRefusingOne(Map.of("health.consecutive-failures", "2"), switchable(), answering);

        for (int i = 1; i <= 6; i++) {
            assertVerdict(get(Fault.RESET_BEFORE_RESPONSE), 502, "connection_terminated",
                    "GET " + i + " to the only answering upstream, which resets it");
        }
        assertEquals(6 * harness.sendsOfADroppedGet(), answering.requestCount(Fault.RESET_BEFORE_RESPONSE),
                "each failing GET reached the answering upstream: passive health did not take it out of service");
        assertControl(get(Fault.CONTROL_OK), "GET once the answering upstream answers again");
    }

    @Test
    @DisplayName("4d. with the retry budget spent, requests refused by one upstream still reach the other, each once")
    protected void aRequestThatNeverLeftIsRetriedWithoutTheBudget() throws Exception {
        requires(Capability.UPSTREAM_ATTEMPTS, Capability.SEVERAL_UPSTREAMS);
        SwitchableUpstream refusing = switchable();
        MisbehavingUpstream healthy = misbehaving();
        // a budget of one retry that never refills, and a refusing upstream that stays in rotation: every other
        // request is refused first; a retry that reached no upstream must not need a token
        harness.start(Map.of("retry.budget-ratio", "0", "retry.budget-min-per-second", "0",
                "health.consecutive-failures", "1000"), RESPONSE_TIMEOUT, List.of(refusing.baseUri(), healthy.baseUri()));

        for (int i = 1; i <= 12; i++) {
            String method = i % 2 == 0 ? "POST" : "GET";
            assertControl(harness.send(method, Fault.CONTROL_OK.path(), method.equals("POST") ? "order=" + i : null),
                    method + " " + i + " (refused by one upstream, sent to the other without a budget token)");
        }
        assertEquals(12, healthy.requestCount(Fault.CONTROL_OK), "each request reached the answering upstream once");
        assertVerdict(get(Fault.RESET_BEFORE_RESPONSE), 502, "connection_terminated", "a reset GET");
        assertEquals(harness.sendsOfADroppedGet(), healthy.requestCount(Fault.RESET_BEFORE_RESPONSE),
                "a request that may have been received is not retried by default, budget or not");
    }

    /**
     * Starts the route over {@code refusing} and {@code healthy}, in that order, and sends six GETs: each is
     * answered by the healthy one, a refused connect being retried there.
     */
    private void startAndGetAroundTheRefusingOne(Map<String, String> properties, SwitchableUpstream refusing,
                                                 MisbehavingUpstream healthy) throws Exception {
        requires(Capability.UPSTREAM_ATTEMPTS, Capability.SEVERAL_UPSTREAMS);
        harness.start(properties, RESPONSE_TIMEOUT, List.of(refusing.baseUri(), healthy.baseUri()));
        for (int i = 1; i <= 6; i++) {
            assertControl(get(Fault.CONTROL_OK), "GET " + i + " (a refused connect is retried on the other upstream)");
        }
    }

    // ---- 5. one deadline over several attempts ------------------------------------------------------------

    @Test
    @DisplayName("5. attempts with a per-try timeout all fit in one deadline: 504 within it")
    protected void aDeadlineSpansSeveralAttempts() throws Exception {
        requires(Capability.UPSTREAM_ATTEMPTS, Capability.SEVERAL_UPSTREAMS);
        MisbehavingUpstream first = misbehaving();
        MisbehavingUpstream second = misbehaving();
        Duration deadline = Duration.ofSeconds(1);
        // the route's response timeout is longer on purpose: the deadline, not it, ends the request
        harness.start(Map.of("retry.conditions", "timeout", "retry.per-try-timeout", "300ms", "retry.deadline", "1s",
                "retry.max-attempts", "5"), Duration.ofSeconds(5), List.of(first.baseUri(), second.baseUri()));

        Reply reply = get(Fault.STALL);

        // the deadline may cut the last attempt while it still connects: connection_timeout is as right then
        assertVerdict(reply, 504, List.of("http_response_timeout", "connection_timeout"), "GET to two stalling upstreams");
        assertWithin(deadline, reply);
        int received = first.requestCount(Fault.STALL) + second.requestCount(Fault.STALL);
        assertTrue(received >= 2 && received <= 5, "attempts received by the upstreams: 2 to 5, were " + received);
    }

    // ---- 6. a timed-out request is not retried by default ----------------------------------------------------

    @Test
    @DisplayName("6. by default a timed-out GET is answered 504 within the response timeout, sent once")
    protected void aTimedOutRequestIsAnsweredWithinTheResponseTimeout() throws Exception {
        MisbehavingUpstream upstream = misbehaving();
        Duration responseTimeout = Duration.ofMillis(800);
        harness.start(Map.of(), responseTimeout, List.of(upstream.baseUri()));

        Reply reply = get(Fault.STALL);

        assertVerdict(reply, 504, "http_response_timeout", "GET to a stalling upstream");
        assertWithin(responseTimeout, reply);
        assertEquals(1, upstream.requestCount(Fault.STALL), "one timeout, not one per attempt");
    }

    // ---- 7. a client gone during the backoff cancels the next attempt ---------------------------------------

    @Test
    @DisplayName("7. a client that disconnects during a retry backoff cancels the next attempt")
    protected void aClientGoneDuringTheBackoffCancelsTheNextAttempt() throws Exception {
        requires(Capability.UPSTREAM_ATTEMPTS);
        MisbehavingUpstream upstream = misbehaving();
        Fault fault = Fault.UPSTREAM_503_RETRY_AFTER;
        Duration backoff = Duration.ofSeconds(7); // the fault's Retry-After: a backoff without jitter
        harness.start(Map.of("retry.conditions", "status", "retry.retry-after-cap", "10s", "retry.deadline", "30s"),
                RESPONSE_TIMEOUT, List.of(upstream.baseUri()));

        URI uri = harness.uri(fault.path());
        try (Socket client = new Socket(uri.getHost(), uri.getPort())) {
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            OutputStream out = client.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            upstream.awaitRequests(fault, 1, BOUND);
            // the 503 asks for 7 s: the proxy holds the client while it waits, then the client leaves
            assertNoAnswerWithin(client, Duration.ofMillis(500));
        } // an ordinary close (FIN), as a client that gives up sends it

        assertThrows(TimeoutException.class, () -> upstream.awaitRequests(fault, 2, backoff.plus(MARGIN)),
                "the upstream received the retry of a request whose client was gone");
    }

    // ---- 8. admission: what is refused never reaches the upstream ----------------------------------------

    @Test
    @DisplayName("8a. a rate limit answers 429 with Retry-After, and the refused requests never reach the upstream")
    protected void rateLimitedRequestsNeverReachTheUpstream() throws Exception {
        MisbehavingUpstream upstream = misbehaving();
        harness.start(Map.of("rate-limit.enabled", "true", "rate-limit.limit", "2", "rate-limit.window", "1h"),
                RESPONSE_TIMEOUT, List.of(upstream.baseUri()));

        assertControl(get(Fault.CONTROL_OK), "request 1");
        assertControl(get(Fault.CONTROL_OK), "request 2");
        for (int i = 3; i <= 5; i++) {
            Reply refused = get(Fault.CONTROL_OK);
            assertVerdict(refused, 429, "http_request_error", "request " + i);
            assertNotNull(refused.header("Retry-After"), "Retry-After on the 429");
        }

        assertEquals(2, upstream.requestCount(Fault.CONTROL_OK), "only the admitted requests reached the upstream");
    }

    @Test
    @DisplayName("8b. a concurrency limit sheds 503 with Retry-After while full and admits again once the slot is free")
    protected void aConcurrencyLimitShedsAndFreesItsSlot() throws Exception {
        MisbehavingUpstream upstream = misbehaving();
        harness.start(Map.of("concurrency.max-concurrent", "1"), RESPONSE_TIMEOUT, List.of(upstream.baseUri()));
        CompletableFuture<Reply> holder = CompletableFuture.supplyAsync(() -> {
            try {
                return get(Fault.STALL);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        upstream.awaitRequests(Fault.STALL, 1, BOUND);

        Reply shed = get(Fault.CONTROL_OK);

        assertVerdict(shed, 503, "connection_limit_reached", "a request while the slot is taken");
        assertNotNull(shed.header("Retry-After"), "Retry-After on the 503");
        assertEquals(0, upstream.requestCount(Fault.CONTROL_OK), "the shed request never reached the upstream");
        assertVerdict(holder.get(BOUND.toSeconds(), TimeUnit.SECONDS), 504, "http_response_timeout", "the held request");
        // the slot is freed when the exchange ends, which may be just after its client saw the answer
        long deadline = System.nanoTime() + BOUND.toNanos();
        Reply admitted;
        do {
            admitted = get(Fault.CONTROL_OK);
        } while (admitted.status() == 503 && System.nanoTime() < deadline);
        assertControl(admitted, "a request after the held one ended");
    }

    // ---- 9. a refusing single upstream --------------------------------------------------------------------

    @Test
    @DisplayName("9. a single upstream that refuses connections: 502 connection_refused at once, every time, any method")
    protected void aRefusingSingleUpstreamIsAnsweredAtOnce() throws Exception {
        SwitchableUpstream refusing = switchable();
        harness.start(Map.of(), RESPONSE_TIMEOUT, List.of(refusing.baseUri()));

        for (String method : List.of("GET", "POST", "GET")) {
            Reply reply = harness.send(method, Fault.CONTROL_OK.path(), method.equals("GET") ? null : "order=1");
            // a refused connect never left, so it may be retried (on the same upstream), but not waited out
            assertVerdict(reply, 502, "connection_refused", method + " to a refusing upstream");
            assertWithin(RESPONSE_TIMEOUT, reply);
        }
        refusing.serve();
        assertControl(get(Fault.CONTROL_OK), "GET once it serves");
    }

    // ---- 10. the opt-in circuit breaker ---------------------------------------------------------------------

    @Test
    @DisplayName("10. with the circuit breaker on, a dead single upstream receives nothing while open, then one probe at a time")
    protected void anOpenCircuitKeepsRequestsAwayFromADeadUpstream() throws Exception {
        MisbehavingUpstream upstream = misbehaving();
        Duration open = Duration.ofMillis(500);
        harness.start(Map.of("circuit-breaker.enabled", "true", "circuit-breaker.failure-threshold", "3",
                "circuit-breaker.open-duration", open.toMillis() + "ms"), RESPONSE_TIMEOUT, List.of(upstream.baseUri()));
        Fault dead = Fault.RESET_BEFORE_RESPONSE;
        int sends = harness.sendsOfADroppedGet();

        long lastFailureSent = 0;
        for (int i = 1; i <= 3; i++) {
            lastFailureSent = System.nanoTime();
            assertVerdict(get(dead), 502, "connection_terminated", "failed request " + i);
        }
        // the third failure opens the circuit when its exchange ends, which may be just after its client saw the
        // answer: a request sent meanwhile still reaches the upstream (and fails)
        Reply refused;
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            int before = upstream.requestCount(dead);
            long sent = System.nanoTime();
            refused = get(dead);
            if (refused.status() != 502) {
                assertEquals(before, upstream.requestCount(dead), "a refused request never reaches the upstream");
                break;
            }
            lastFailureSent = sent;
            assertTrue(System.nanoTime() < deadline, "the circuit never opened");
        }
        assertVerdict(refused, 503, "destination_unavailable", "a request once the circuit is open");
        assertEquals("1", refused.header("Retry-After"), "the whole seconds left open, at least 1");

        // every request answered before the open time can have ended was refused without reaching the upstream
        int received = upstream.requestCount(dead);
        long openAtLeastUntil = lastFailureSent + open.toNanos();
        Reply probe = null;
        for (int i = 1; i <= 5 && probe == null; i++) {
            Reply reply = get(dead);
            if (System.nanoTime() >= openAtLeastUntil) {
                if (reply.status() != 503) {
                    probe = reply; // the open time was over: it was the probe
                }
                break;
            }
            assertVerdict(reply, 503, "destination_unavailable", "request " + i + " while open");
            assertEquals(received, upstream.requestCount(dead), "request " + i + " while open reached the upstream");
        }

        // once the open time is over, one probe goes through: it fails, and the circuit opens again
        if (probe == null) {
            probe = untilAdmitted(dead);
        }
        assertVerdict(probe, 502, "connection_terminated", "the failing probe");
        assertEquals(received + sends, upstream.requestCount(dead), "only the probe reached the upstream");
        assertVerdict(get(dead), 503, "destination_unavailable", "a request after the failed probe");

        // the next probe succeeds and closes the circuit: requests reach the upstream again
        assertControl(untilAdmitted(Fault.CONTROL_OK), "the succeeding probe");
        assertControl(untilAdmitted(Fault.CONTROL_OK), "a request after the circuit closed");
        assertVerdict(get(dead), 502, "connection_terminated", "a failure after the circuit closed");
    }

    // ---- 11. a trusted client sees the attempts, and why there was no other ---------------------------------

    @Test
    @DisplayName("11. a trusted client's problem body lists each attempt by upstream alias, never an address")
    protected void aTrustedClientSeesTheAttempts() throws Exception {
        requires(Capability.UPSTREAM_ATTEMPTS);
        MisbehavingUpstream upstream = misbehaving();
        trusted = true;
        harness.start(Map.of("retry.conditions", "reset", "exposure.trusted-cidrs", "127.0.0.0/8,::1/128"),
                RESPONSE_TIMEOUT, List.of(upstream.baseUri()));

        Reply reply = get(Fault.RESET_BEFORE_RESPONSE);

        assertVerdict(reply, 502, "connection_terminated", "a reset GET from a trusted client");
        int sent = upstream.requestCount(Fault.RESET_BEFORE_RESPONSE);
        String body = reply.body();
        assertTrue(body.contains("\"attempts\":[{"), () -> harness.name() + ": no attempts in " + body);
        String attempts = body.substring(body.indexOf("\"attempts\":["));
        int listed = attempts.split("\"error\":\"connection_terminated\"", -1).length - 1;
        // retry.max-attempts is 2 by default: both attempts listed, each received by the upstream
        assertEquals(2, listed, () -> harness.name() + ": one entry per attempt: " + body);
        assertEquals(sent, listed * harness.sendsOfADroppedGet(),
                () -> harness.name() + ": one entry per request the upstream received: " + body);
        assertTrue(body.contains("\"phase\":\""), () -> harness.name() + ": attempts without a phase: " + body);
        assertTrue(body.matches("(?s).*\"ms\":\\d+.*"), () -> harness.name() + ": attempts without ms: " + body);
        String address = upstream.baseUri().getHost() + ":" + upstream.baseUri().getPort();
        assertTrue(!body.contains(address) && !body.contains(upstream.baseUri().getHost() + "-"),
                () -> harness.name() + ": the upstream's address is in the body: " + body);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /**
     * Sends GET {@code fault} until a request is not refused by the circuit breaker (bounded), pacing the
     * refused ones; each refusal must be 503 {@code destination_unavailable} with a {@code Retry-After}.
     */
    private Reply untilAdmitted(Fault fault) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            Reply reply = get(fault);
            if (reply.status() != 503) {
                return reply;
            }
            assertVerdict(reply, 503, "destination_unavailable", "a request while the circuit is not closed");
            assertNotNull(reply.header("Retry-After"), "Retry-After on the 503");
            assertTrue(System.nanoTime() < deadline, "no request was let through within " + BOUND);
            TimeUnit.MILLISECONDS.sleep(25); // pacing only: the loop waits on the breaker's answer, not on this
        }
    }

    /** The harness of the running sequence. */
    protected final LifecycleHarness harness() {
        return harness;
    }

    /** Skips the sequence unless the harness has every one of {@code needed}. */
    protected final void requires(Capability... needed) {
        for (Capability capability : needed) {
            assumeTrue(harness.capabilities().contains(capability),
                    () -> "does not apply to " + harness.name() + ": " + capability.whyMissing()
                            + " (needs " + Arrays.toString(needed) + ")");
        }
    }

    private MisbehavingUpstream misbehaving() {
        MisbehavingUpstream upstream = MisbehavingUpstream.start();
        upstreams.add(upstream);
        return upstream;
    }

    private SwitchableUpstream switchable() {
        SwitchableUpstream upstream = SwitchableUpstream.refusing();
        upstreams.add(upstream);
        return upstream;
    }

    private Reply get(Fault fault) throws IOException, InterruptedException {
        return harness.send("GET", fault.path(), null);
    }

    private void assertVerdict(Reply reply, int status, String error, String what) {
        assertVerdict(reply, status, List.of(error), what);
    }

    /** {@code status} and our {@code Proxy-Status} member with one of {@code errors}. */
    private void assertVerdict(Reply reply, int status, List<String> errors, String what) {
        assertEquals(status, reply.status(), () -> harness.name() + ", " + what + ": " + reply + "\n" + reply.body());
        String proxyStatus = reply.proxyStatus();
        assertTrue(proxyStatus != null && errors.stream().anyMatch(e -> proxyStatus.startsWith(MEMBER + e)),
                () -> harness.name() + ", " + what + ": Proxy-Status " + proxyStatus + ", expected " + MEMBER + errors);
        assertExplained(reply, what);
    }

    /**
     * Every failed response says why it was not retried: its problem body has a {@code not_retried} member
     * with one of {@link #NOT_RETRIED_REASONS}; and it lists the attempts only to a trusted client.
     */
    private void assertExplained(Reply reply, String what) {
        String type = reply.header("Content-Type");
        assertTrue(type != null && type.startsWith("application/problem+json"),
                () -> harness.name() + ", " + what + ": not a problem document: " + type + "\n" + reply.body());
        Matcher notRetried = NOT_RETRIED.matcher(reply.body());
        assertTrue(notRetried.find(), () -> harness.name() + ", " + what + ": no not_retried member in " + reply.body());
        assertTrue(NOT_RETRIED_REASONS.contains(notRetried.group(1)), () -> harness.name() + ", " + what
                + ": not_retried '" + notRetried.group(1) + "' is none of " + NOT_RETRIED_REASONS);
        if (!trusted) {
            assertTrue(!reply.body().contains("\"attempts\""),
                    () -> harness.name() + ", " + what + ": attempts shown to an untrusted client: " + reply.body());
        }
    }

    private void assertControl(Reply reply, String what) {
        assertEquals(200, reply.status(), () -> harness.name() + ", " + what + ": " + reply + "\n" + reply.body());
        assertEquals(MisbehavingUpstream.CONTROL_BODY, reply.body(), what);
    }

    private void assertWithin(Duration bound, Reply reply) {
        assertTrue(reply.elapsed().compareTo(bound.plus(MARGIN)) < 0, () -> harness.name() + ": answered after "
                + reply.elapsed().toMillis() + " ms, bound " + bound.toMillis() + " ms + " + MARGIN.toMillis() + " ms");
    }

    /** Fails when any response byte arrives within {@code wait}. */
    private static void assertNoAnswerWithin(Socket client, Duration wait) throws IOException {
        client.setSoTimeout((int) wait.toMillis());
        InputStream in = client.getInputStream();
        try {
            int b = in.read();
            fail(b < 0 ? "the proxy closed the connection during the backoff"
                    : "the proxy answered during the backoff: " + (char) b + new String(in.readNBytes(
                            Math.min(in.available(), 200)), StandardCharsets.ISO_8859_1));
        } catch (SocketTimeoutException expected) {
            // nothing yet: the proxy waits for the retry
        }
    }
}
