package dev.upstreamguard.gateway;

import dev.upstreamguard.core.lifecycle.ClientRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;

import java.util.List;

/**
 * The core's view of a gateway request, read in place: one object is the request and its header fields, and
 * the client's address is formatted only when the core asks for it.
 */
record SpringClientRequest(ServerHttpRequest request) implements ClientRequest, ClientRequest.Headers {
    @Override
    public String method() {
        return request.getMethod().name();
    }

    @Override
    public String remoteAddress() {
        return RemoteAddresses.of(request);
    }

    @Override
    public Headers headers() {
        return this;
    }

    @Override
    public String first(String name) {
        return request.getHeaders().getFirst(name);
    }

    @Override
    public List<String> all(String name) {
        List<String> values = request.getHeaders().get(name);
        return values == null ? List.of() : values;
    }
}
