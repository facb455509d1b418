package dev.upstreamguard.gateway;

import dev.upstreamguard.core.lifecycle.ClientRequest;
import org.springframework.http.HttpHeaders;

import java.util.List;

/** The core's view of a gateway request's header fields, read in place. */
record SpringRequestHeaders(HttpHeaders headers) implements ClientRequest.Headers {
    @Override
    public String first(String name) {
        return headers.getFirst(name);
    }

    @Override
    public List<String> all(String name) {
        List<String> values = headers.get(name);
        return values == null ? List.of() : values;
    }
}
