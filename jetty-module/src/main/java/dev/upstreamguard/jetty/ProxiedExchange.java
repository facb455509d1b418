package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.Verdict;
import org.eclipse.jetty.server.Request;

import java.util.function.Consumer;

/**
 * What the handler tracks for one proxied request across its attempts: the route, the core's exchange that
 * decides everything, the request body as attempts see it and the current attempt. Attempts run one after
 * the other (the next is started from the end of the previous); the fields are volatile because attempts
 * end on other threads.
 *
 * <p>It is also the handler's two per-request hooks, so that they cost no object of their own: as a
 * {@link Runnable} it completes the core's exchange (run when the client's response is done), as a
 * {@code Consumer<Throwable>} it is the client request's failure listener (the client went away).
 */
final class ProxiedExchange implements Runnable, Consumer<Throwable> {
    private final Route route;
    private final GuardedExchange exchange;
    private volatile RequestBody body;
    private volatile UpstreamAttempt current;
    private volatile Request client;

    ProxiedExchange(Route route, GuardedExchange exchange) {
        this.route = route;
        this.exchange = exchange;
    }

    /** {@code request} wrapped so that it carries this state to ProxyHandler's hooks (a field: no attribute map). */
    Request carriedBy(Request request) {
        client = request;
        return new Carrier(request, this);
    }

    /** The state a request wrapped by {@link #carriedBy} carries. */
    static ProxiedExchange of(Request carried) {
        return ((Carrier) carried).state;
    }

    private static final class Carrier extends Request.Wrapper {
        private final ProxiedExchange state;

        Carrier(Request wrapped, ProxiedExchange state) {
            super(wrapped);
            this.state = state;
        }
    }

    /** Completes the core's exchange: the client's response is done. */
    @Override
    public void run() {
        exchange.complete();
    }

    /**
     * The client request failed: the client is gone (e.g. it closed during a backoff) — unless it is the failure
     * of the body an upstream attempt was streaming, heard on an HTTP/1 connection that is still open
     * ({@link ClientConnections#gone}): that one is the upstream's, and the exchange answers it.
     */
    @Override
    public void accept(Throwable failure) {
        Request request = client;
        if (request == null || ClientConnections.gone(request)) {
            exchange.clientGone();
        }
    }

    Route route() {
        return route;
    }

    GuardedExchange exchange() {
        return exchange;
    }

    RequestBody body() {
        return body;
    }

    void body(RequestBody requestBody) {
        body = requestBody;
    }

    UpstreamAttempt current() {
        return current;
    }

    /** Starts the attempt the core chose. */
    UpstreamAttempt begin(Verdict.SendTo send) {
        UpstreamAttempt attempt = new UpstreamAttempt(exchange, send);
        current = attempt;
        return attempt;
    }
}
