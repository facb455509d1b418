package dev.upstreamguard.samples.servlet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The upstreams the application calls: {@code GET /api/<name>/<path>} goes to {@code sample.upstreams.<name>}
 * followed by {@code <path>}.
 *
 * @param upstreams       base URL per name, e.g. {@code sample.upstreams.orders=http://127.0.0.1:8081}
 * @param connectTimeout  TCP connect timeout of the client
 * @param responseTimeout how long the client waits for the upstream's response head
 */
@ConfigurationProperties("sample")
public record SampleUpstreams(Map<String, URI> upstreams,
                              @DefaultValue("2s") Duration connectTimeout,
                              @DefaultValue("10s") Duration responseTimeout) {

    /** No upstreams when none are configured. */
    public SampleUpstreams {
        upstreams = upstreams == null ? Map.of() : Map.copyOf(upstreams);
    }
}
