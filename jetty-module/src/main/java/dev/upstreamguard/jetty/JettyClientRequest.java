package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.ClientRequest;
import org.eclipse.jetty.server.Request;

import java.util.List;

/**
 * The core's view of a Jetty request, read in place: one object is the request and its header fields, and
 * the client's address is formatted only when the core asks for it.
 */
record JettyClientRequest(Request request) implements ClientRequest, ClientRequest.Headers {
    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    @Override
    public Headers headers() {
        return this;
    }

    @Override
    public String first(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public List<String> all(String name) {
        return request.getHeaders().getValuesList(name);
    }
}
