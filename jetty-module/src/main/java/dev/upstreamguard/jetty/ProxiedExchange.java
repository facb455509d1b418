package dev.upstreamguard.jetty;

import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.Phase;
import org.eclipse.jetty.util.thread.Scheduler;

import java.net.URI;
import java.util.List;

/**
 * What the handler tracks for one proxied request: the route, the chosen upstream, the core's
 * {@link Exchange}, and the phase the client's listeners have seen, which the classifier needs to tell
 * e.g. {@code connection_terminated} from {@code http_response_incomplete}.
 */
final class ProxiedExchange {
    private final Route route;
    private final URI upstream;
    private volatile Exchange exchange;
    private volatile Phase phase = Phase.CONNECT;
    private volatile boolean chunkedResponse;
    private volatile Scheduler.Task headDeadline;

    ProxiedExchange(Route route, URI upstream, Exchange exchange) {
        this.route = route;
        this.upstream = upstream;
        this.exchange = exchange;
    }

    Route route() {
        return route;
    }

    URI upstream() {
        return upstream;
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
}
