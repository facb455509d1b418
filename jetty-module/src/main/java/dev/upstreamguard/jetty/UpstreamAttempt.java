package dev.upstreamguard.jetty;

import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.health.Upstream;
import org.eclipse.jetty.util.thread.Scheduler;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One attempt of a proxied request on one upstream: the core's {@link Exchange} as this attempt describes
 * it (upstream id, next hop, attempt n/m), and the phase its client listeners have seen, which the
 * classifier needs to tell e.g. {@code connection_terminated} from {@code http_response_incomplete}.
 * Listeners of an attempt hold on to their own instance, so a late callback of an earlier attempt never
 * changes the state of the next.
 */
final class UpstreamAttempt {
    private final int number;
    private final Upstream upstream;
    private volatile Exchange exchange;
    private volatile Phase phase = Phase.CONNECT;
    private volatile boolean chunkedResponse;
    private volatile Scheduler.Task headDeadline;
    private volatile Duration retryDelay;
    private volatile boolean clientWriteFailed;

    UpstreamAttempt(int number, Upstream upstream, Exchange exchange) {
        this.number = number;
        this.upstream = upstream;
        this.exchange = exchange;
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

    Exchange exchange() {
        return exchange;
    }

    void receivedProxyStatus(List<String> lines) {
        if (!lines.isEmpty()) {
            exchange = exchange.withReceivedProxyStatus(lines);
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

    void headDeadline(Scheduler.Task task) {
        headDeadline = task;
    }

    void cancelHeadDeadline() {
        Scheduler.Task task = headDeadline;
        if (task != null) {
            task.cancel();
        }
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
