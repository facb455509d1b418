package dev.upstreamguard.compatibility;

import dev.upstreamguard.core.jdk.ValidatingBodyHandler;
import dev.upstreamguard.servlet.ServletUpstreamGuard;
import dev.upstreamguard.servlet.UpstreamGuardFilter;
import dev.upstreamguard.testkit.Scenarios;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

/**
 * The application every container runs, set up through the Servlet API alone (a
 * {@link ServletContainerInitializer}, the programmatic registration the README shows): the filter by class with
 * init-params, mapped for {@code REQUEST}, {@code ASYNC} and {@code ERROR}, in front of two servlets that call
 * the upstream named by the {@code target} parameter with the JDK {@link HttpClient} (the head validated by the
 * guard):
 * <ul>
 *   <li>{@code /relay} calls it on the request thread and relays status, {@code Content-Type},
 *       {@code Content-Length} and the body, committing the head before the body;</li>
 *   <li>{@code /async-relay} suspends the request, calls the upstream once the test {@linkplain #release()
 *       releases} it, then dispatches the request again ({@code ASYNC}), where it writes the answer or rethrows
 *       the failure.</li>
 * </ul>
 * A {@code timeout} parameter (ISO-8601) replaces the response timeout of
 * {@link Scenarios#RECOMMENDED_RESPONSE_TIMEOUT}.
 */
public final class CompatibilityApp implements ServletContainerInitializer {
    private static final String RESULT = CompatibilityApp.class.getName() + ".result";

    private final Map<String, String> filterParameters;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Scenarios.RECOMMENDED_CONNECT_TIMEOUT)
            .build();
    private final CountDownLatch suspended = new CountDownLatch(1);
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private final CountDownLatch asyncDispatched = new CountDownLatch(1);
    private final CountDownLatch completed = new CountDownLatch(1);
    private volatile String serverInfo;
    private volatile String servletVersion;

    /** An application whose filter gets these init-params. */
    public CompatibilityApp(Map<String, String> filterParameters) {
        this.filterParameters = Map.copyOf(filterParameters);
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        serverInfo = context.getServerInfo();
        servletVersion = context.getEffectiveMajorVersion() + "." + context.getEffectiveMinorVersion()
                + " (container " + context.getMajorVersion() + "." + context.getMinorVersion() + ")";
        FilterRegistration.Dynamic filter = context.addFilter("upstream-guard", UpstreamGuardFilter.class);
        filter.setInitParameters(filterParameters);
        filter.setInitParameter(UpstreamGuardFilter.ROUTE_ID, "compat");
        filter.setAsyncSupported(true);
        filter.addMappingForUrlPatterns(
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR), false, "/*");
        ServletRegistration.Dynamic relay = context.addServlet("relay", new Relay());
        relay.addMapping("/relay");
        ServletRegistration.Dynamic asyncRelay = context.addServlet("async-relay", new AsyncRelay());
        asyncRelay.setAsyncSupported(true);
        asyncRelay.addMapping("/async-relay");
    }

    /** {@link ServletContext#getServerInfo()} as the container reported it at start. */
    public String serverInfo() {
        return serverInfo;
    }

    /** The context's Servlet version, then the container's: {@code 6.0 (container 6.1)}. */
    public String servletVersion() {
        return servletVersion;
    }

    /** Counted down when {@code /async-relay} has suspended its request. */
    public CountDownLatch suspended() {
        return suspended;
    }

    /** Lets a suspended {@code /async-relay} call its upstream. */
    public void release() {
        released.complete(null);
    }

    /** Counted down when the {@code ASYNC} dispatch of {@code /async-relay} reached the servlet. */
    public CountDownLatch asyncDispatched() {
        return asyncDispatched;
    }

    /**
     * Counted down when the request of {@code /async-relay} completed, by a listener added after the filter's
     * (which frees the concurrency slot first).
     */
    public CountDownLatch completed() {
        return completed;
    }

    private HttpRequest upstreamRequest(HttpServletRequest req) {
        String timeout = req.getParameter("timeout");
        return HttpRequest.newBuilder(URI.create(req.getParameter("target")))
                .timeout(timeout == null ? Scenarios.RECOMMENDED_RESPONSE_TIMEOUT : Duration.parse(timeout))
                .GET().build();
    }

    private final class Relay extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            ServletUpstreamGuard guard = ServletUpstreamGuard.from(req);
            HttpResponse<InputStream> upstream;
            try {
                upstream = client.send(upstreamRequest(req),
                        ValidatingBodyHandler.of(guard.guard(), HttpResponse.BodyHandlers.ofInputStream()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
            resp.setStatus(upstream.statusCode());
            upstream.headers().firstValue("content-type").ifPresent(resp::setContentType);
            upstream.headers().firstValue("content-length").ifPresent(v -> resp.setHeader("Content-Length", v));
            resp.flushBuffer();
            try (InputStream in = upstream.body()) {
                OutputStream out = resp.getOutputStream();
                byte[] buffer = new byte[1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        }
    }

    private final class AsyncRelay extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            if (req.getDispatcherType() == DispatcherType.ASYNC) {
                answer(req, resp);
                return;
            }
            ServletUpstreamGuard guard = ServletUpstreamGuard.from(req);
            HttpRequest request = upstreamRequest(req);
            AsyncContext async = req.startAsync();
            async.setTimeout(30_000);
            suspended.countDown();
            released.thenCompose(ignored -> client.sendAsync(request,
                            ValidatingBodyHandler.of(guard.guard(), HttpResponse.BodyHandlers.ofByteArray())))
                    .whenComplete((response, failure) -> {
                        req.setAttribute(RESULT, failure != null ? failure : response);
                        async.dispatch();
                    });
        }

        /** The {@code ASYNC} dispatch: suspends once more to watch completion, then answers and completes. */
        private void answer(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            asyncDispatched.countDown();
            Object result = req.getAttribute(RESULT);
            if (result instanceof Throwable failure) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new ServletException("upstream call failed", cause);
            }
            HttpResponse<?> upstream = (HttpResponse<?>) result;
            AsyncContext again = req.startAsync();
            again.addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    completed.countDown();
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                }

                @Override
                public void onError(AsyncEvent event) {
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                }
            });
            resp.setStatus(upstream.statusCode());
            upstream.headers().firstValue("content-type").ifPresent(resp::setContentType);
            byte[] body = (byte[]) upstream.body();
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
            again.complete();
        }
    }
}
