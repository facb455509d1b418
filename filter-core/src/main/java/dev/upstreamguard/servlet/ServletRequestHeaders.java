package dev.upstreamguard.servlet;

import dev.upstreamguard.core.lifecycle.ClientRequest;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Collections;
import java.util.List;

/** A servlet request's header fields as the core's lifecycle reads them. */
final class ServletRequestHeaders implements ClientRequest.Headers {
    private final HttpServletRequest request;

    ServletRequestHeaders(HttpServletRequest request) {
        this.request = request;
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
