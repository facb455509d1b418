package dev.upstreamguard.servlet;

import dev.upstreamguard.core.lifecycle.ClientRequest;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Collections;
import java.util.List;

/**
 * A servlet request as the core's lifecycle reads it, in place: one object is the request and its header
 * fields, and the client's address is read only when the core asks for it.
 */
final class ServletClientRequest implements ClientRequest, ClientRequest.Headers {
    private final HttpServletRequest request;

    ServletClientRequest(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public Headers headers() {
        return this;
    }

    @Override
    public String first(String name) {
        return request.getHeader(name);
    }

    @Override
    public List<String> all(String name) {
        return Collections.list(request.getHeaders(name));
    }
}
