package dev.upstreamguard.jetty;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.health.Upstream;
import org.eclipse.jetty.io.CyclicTimeouts;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One attempt of a proxied request on one upstream: the core's {@link Exchange} as this attempt describes
 * it (upstream id, next hop, attempt n/m), and the phase its client listeners have seen, which the
 * classifier needs to tell e.g. {@code connection_terminated} from {@code http_response_incomplete}.
 * Listeners of an attempt hold on to their own instance, so a late callback of an earlier attempt never
 * changes the state of the next.
 */
final class UpstreamAttempt implements CyclicTimeouts.Expirable {
    private static final int DEADLINE_UNSET = 0;
    private static final int DEADLINE_ARMED = 1;
    private static final int DEADLINE_DONE = 2;

    private final ProxiedExchange request;
    private final int number;
    private final int maxAttempts;
    private final Upstream upstream;
    private final String nextHop;
    private volatile List<String> receivedProxyStatus = List.of();
    private Exchange exchange;
    private volatile Phase phase = Phase.CONNECT;
    private volatile boolean chunkedResponse;
    private final AtomicInteger deadlineState = new AtomicInteger(DEADLINE_UNSET);
    private volatile long headExpireNanoTime = Long.MAX_VALUE;
    private volatile long headTimeoutMillis;
    private volatile org.eclipse.jetty.client.Request headRequest;
    private volatile Duration retryDelay;
    private volatile boolean clientWriteFailed;

    /**
     * @param request     the proxied request this attempt belongs to (its exchange is the base of this one's)
     * @param maxAttempts the {@code m} of {@code attempt n/m}
     * @param nextHop     what {@code next-hop} may name
     */
    UpstreamAttempt(ProxiedExchange request, int number, int maxAttempts, Upstream upstream, String nextHop) {
        this.request = request;
        this.number = number;
        this.maxAttempts = maxAttempts;
        this.upstream = upstream;
        this.nextHop = nextHop;
    }

    /** 1-based. */
    int number() {
        return number;
    }

    Upstream upstream() {
        return upstream;
    }

    URI uri() {
        return upstream.uri();
    }

    /** The core's exchange as this attempt describes it, built on first use (failures and 5xx only). */
    synchronized Exchange exchange() {
        if (exchange == null) {
            Exchange base = request.initial();
            exchange = new Exchange(base.routeId(), upstream.id(), nextHop, base.remoteAddress(), base.accept(),
                    base.requestId(), receivedProxyStatus, number, maxAttempts, base.startNanos());
        }
        return exchange;
    }

    /** The {@code Proxy-Status} lines the upstream sent, empty when none. */
    List<String> receivedProxyStatus() {
        return receivedProxyStatus;
    }

    synchronized void receivedProxyStatus(List<String> lines) {
        if (!lines.isEmpty()) {
            receivedProxyStatus = lines;
            exchange = null;
        }
    }

    Phase phase() {
        return phase;
    }

    /** Moves the phase forward only: request and response callbacks of Jetty's client race each other. */
    synchronized void phase(Phase newPhase) {
        if (newPhase.ordinal() > phase.ordinal()) {
            phase = newPhase;
        }
    }

    boolean chunkedResponse() {
        return chunkedResponse;
    }

    void chunkedResponse(boolean chunked) {
        chunkedResponse = chunked;
    }

    /**
     * Arms the response-head deadline: {@code timeoutMillis} from now, {@code proxyToServerRequest} is
     * aborted with {@code http_response_timeout} unless {@link #cancelHeadDeadline()} comes first. The timer
     * is {@link HeadDeadlines}'s, shared by all attempts.
     *
     * @return whether it was armed (once per attempt, and not after a cancel)
     */
    boolean armHeadDeadline(org.eclipse.jetty.client.Request proxyToServerRequest, long timeoutMillis) {
        headRequest = proxyToServerRequest;
        headTimeoutMillis = timeoutMillis;
        headExpireNanoTime = CyclicTimeouts.Expirable.calcExpireNanoTime(timeoutMillis);
        return deadlineState.compareAndSet(DEADLINE_UNSET, DEADLINE_ARMED);
    }

    /** Disarms the head deadline (the head arrived, or the attempt ended); later expiry does nothing. */
    void cancelHeadDeadline() {
        if (deadlineState.getAndSet(DEADLINE_DONE) == DEADLINE_ARMED) {
            headExpireNanoTime = Long.MAX_VALUE;
        }
    }

    /** Whether the deadline is still armed (neither cancelled nor expired). */
    boolean headDeadlineArmed() {
        return deadlineState.get() == DEADLINE_ARMED;
    }

    @Override
    public long getExpireNanoTime() {
        return headExpireNanoTime;
    }

    /** The head deadline passed: aborts the attempt's request with {@code http_response_timeout}, unless disarmed. */
    void headDeadlineExpired() {
        if (!deadlineState.compareAndSet(DEADLINE_ARMED, DEADLINE_DONE)) {
            return;
        }
        UpstreamFailure late = new UpstreamFailure(ErrorType.HTTP_RESPONSE_TIMEOUT, phase, Map.of(),
                "no complete response head from upstream within " + headTimeoutMillis + " ms", null);
        headRequest.abort(new UpstreamFailureException(late));
    }

    /** Marks this attempt's head as one to retry after {@code delay}: nothing of it reaches the client. */
    void retryAfter(Duration delay) {
        retryDelay = delay;
    }

    /** The delay before the next attempt when this one's head is retried, else {@code null}. */
    Duration retryDelay() {
        return retryDelay;
    }

    /** Writing this attempt's body to the client failed: the client went away, not the upstream. */
    void clientWriteFailed() {
        clientWriteFailed = true;
    }

    boolean clientGone() {
        return clientWriteFailed;
    }
}
