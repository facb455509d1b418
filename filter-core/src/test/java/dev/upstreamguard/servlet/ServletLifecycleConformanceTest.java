package dev.upstreamguard.servlet;

import dev.upstreamguard.testkit.ClientDeviations;
import dev.upstreamguard.testkit.Scenarios;
import dev.upstreamguard.testkit.lifecycle.Capability;
import dev.upstreamguard.testkit.lifecycle.LifecycleConformance;
import dev.upstreamguard.testkit.lifecycle.LifecycleHarness;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test kit's lifecycle conformance suite for a servlet application behind the filter, configured by
 * init-params (the core keys): the application relays each request — method, path and body — to its one
 * upstream with the JDK HttpClient, once, with the response timeout as the request's timeout. The filter
 * makes no upstream attempt itself, so only the sequences without {@link Capability#UPSTREAM_ATTEMPTS}
 * apply: a failing upstream that heals, a dropped POST/PUT/GET sent once, a timed-out GET, and admission
 * (rate limit, concurrency limit).
 */
class ServletLifecycleConformanceTest extends LifecycleConformance {

    @Override
    protected LifecycleHarness newHarness() {
        return new ServletHarness();
    }

    /** A Jetty with the filter and {@link Relay} on {@code /*}. */
    static final class ServletHarness implements LifecycleHarness {
        private ServletTestServer app;

        @Override
        public String name() {
            return "servlet filter";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public void start(Map<String, String> properties, Duration responseTimeout, List<URI> upstreams) throws Exception {
            stop();
            if (upstreams.size() != 1) {
                throw new IllegalArgumentException("the servlet application calls one upstream, was " + upstreams);
            }
            app = ServletTestServer.start(context -> {
                FilterHolder filter = new FilterHolder(UpstreamGuardFilter.class);
                filter.setInitParameter(UpstreamGuardFilter.ROUTE_ID, "lifecycle");
                properties.forEach(filter::setInitParameter);
                context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
                context.addServlet(new ServletHolder(new Relay(upstreams.get(0), responseTimeout)), "/*");
            });
        }

        @Override
        public URI uri(String path) {
            return app.uri(path);
        }

        /** The application's JDK client sends a dropped GET again by itself; the filter adds nothing. */
        @Override
        public int sendsOfADroppedGet() {
            return ClientDeviations.JDK_HTTP_CLIENT_SENDS_OF_A_DROPPED_GET;
        }

        @Override
        public void stop() throws Exception {
            if (app != null) {
                app.close();
                app = null;
            }
        }
    }

    /** Relays any request — method, path, body — to {@code upstream}, once, and the answer back ({@link RelayServlet#relay}). */
    static final class Relay extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Scenarios.RECOMMENDED_CONNECT_TIMEOUT).build();
        private final URI upstream;
        private final Duration timeout;

        Relay(URI upstream, Duration timeout) {
            this.upstream = upstream;
            this.timeout = timeout;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] body = req.getInputStream().readAllBytes();
            HttpRequest request = HttpRequest.newBuilder(URI.create(upstream + req.getRequestURI())).timeout(timeout)
                    .method(req.getMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            RelayServlet.relay(client, request, req, resp);
        }
    }
}
