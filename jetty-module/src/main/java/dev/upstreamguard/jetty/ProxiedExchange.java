package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.Verdict;
import org.eclipse.jetty.server.Request;

/**
 * What the handler tracks for one proxied request across its attempts: the route, the core's exchange that
 * decides everything, the request body as attempts see it and the current attempt. Attempts run one after
 * the other (the next is started from the end of the previous); the fields are volatile because attempts
 * end on other threads.
 */
final class ProxiedExchange {
    private final Route route;
    private final GuardedExchange exchange;
    private volatile RequestBody body;
    private volatile UpstreamAttempt current;

    ProxiedExchange(Route route, GuardedExchange exchange) {
        this.route = route;
        this.exchange = exchange;
    }

    /** {@code request} wrapped so that it carries this state to ProxyHandler's hooks (a field: no attribute map). */
    Request carriedBy(Request request) {
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
