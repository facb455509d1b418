package dev.upstreamguard.status;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;

/** Failure events for the status tests. */
final class Events {

    private Events() {
    }

    static FailureEvent proxy(String route, String upstream, ErrorType type, Phase phase) {
        return new FailureEvent(route, upstream, UpstreamFailure.of(type, phase), 502, Origin.PROXY, false, 1, 1, 0L, "rid");
    }

    static FailureEvent proxy(ErrorType type) {
        return proxy("orders", "orders-1", type, Phase.CONNECT);
    }

    static FailureEvent upstream5xx(String route, int status) {
        return new FailureEvent(route, "orders-1", null, status, Origin.UPSTREAM, false, 1, 1, 0L, "rid");
    }
}
