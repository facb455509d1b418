package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.ClientRequest;
import org.eclipse.jetty.http.HttpFields;

import java.util.List;

/** The core's view of a Jetty request's header fields, read in place. */
record JettyRequestHeaders(HttpFields fields) implements ClientRequest.Headers {
    @Override
    public String first(String name) {
        return fields.get(name);
    }

    @Override
    public List<String> all(String name) {
        return fields.getValuesList(name);
    }
}
