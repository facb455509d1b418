package dev.upstreamguard.servlet;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.ConcurrencyPolicy;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.RateLimitPolicy;
import io.github.bucket4j.TimeMeter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Rate limits and concurrency limits in the servlet filter, on a real Jetty with a real client. */
class ServletAdmissionTest {
    private final AtomicLong now = new AtomicLong(0);
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return now.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<AsyncContext> suspended = new CompletableFuture<>();
    private final CompletableFuture<AsyncContext> suspendedAgain = new CompletableFuture<>();
    private final CountDownLatch asyncCompleted = new CountDownLatch(1);
    private ServletTestServer server;
    private UpstreamGuardFilter guardFilter;

    /**
     * Answers at once, or holds /slow until released; /async suspends, and when dispatched again suspends once
     * more until the test completes it.
     */
    final class App extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (req.getRequestURI().equals("/async")) {
                suspend(req);
                return;
            }
            if (req.getRequestURI().equals("/slow")) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            resp.getWriter().write("ok");
        }

        private void suspend(HttpServletRequest req) {
            AsyncContext async = req.startAsync();
            async.setTimeout(10_000);
            if (req.getDispatcherType() == DispatcherType.REQUEST) {
                suspended.complete(async);
                return;
            }
            // added after the filter's listener, so it runs once the slot is free again
            async.addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    asyncCompleted.countDown();
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
            suspendedAgain.complete(async);
        }
    }

    private void start(GuardPolicy policy) throws Exception {
        start(policy, EnumSet.of(DispatcherType.REQUEST));
    }

    private void start(GuardPolicy policy, EnumSet<DispatcherType> dispatches) throws Exception {
        UpstreamGuard guard = UpstreamGuard.builder().policy(policy)
                .bucketBackend(new InMemoryBucketBackend(clock, 1000)).build();
        server = ServletTestServer.start(context -> {
            guardFilter = new UpstreamGuardFilter(guard, "api");
            FilterHolder filter = new FilterHolder(guardFilter);
            filter.setAsyncSupported(true);
            context.addFilter(filter, "/*", dispatches);
            ServletHolder app = new ServletHolder(new App());
            app.setAsyncSupported(true);
            context.addServlet(app, "/*");
        });
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        server.close();
    }

    private HttpResponse<String> get(String path, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
        if (apiKey != null) {
            b.header("X-Api-Key", apiKey);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theThirdRequestInTheWindowIsA429WithRetryAfterAndRateLimitFields() throws Exception {
        start(GuardPolicy.builder().rateLimit(RateLimitPolicy.perAddress("api", 2, Duration.ofSeconds(10))).build());

        HttpResponse<String> first = get("/x", null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("ratelimit-policy")).contains("\"api\";q=2;w=10");
        assertThat(first.headers().firstValue("ratelimit")).contains("\"api\";r=1;t=5");
        assertThat(get("/x", null).statusCode()).isEqualTo(200);

        HttpResponse<String> third = get("/x", null);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("retry-after")).contains("5");
        assertThat(third.headers().firstValue("proxy-status").orElseThrow())
                .startsWith("upstream-guard;error=http_request_error;status-code=429");
        assertThat(third.headers().firstValue("ratelimit")).contains("\"api\";r=0;t=5");
        assertThat(third.body()).contains("\"status\":429");

        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertThat(get("/x", null).statusCode()).as("one token refilled after 5 s").isEqualTo(200);
    }

    @Test
    void clientsKeyedByHeaderHaveTheirOwnBuckets() throws Exception {
        start(GuardPolicy.builder().rateLimit(RateLimitPolicy.perAddress("api", 1, Duration.ofSeconds(10))
                .keyedByHeader("X-Api-Key")).build());
        assertThat(get("/x", "alice").statusCode()).isEqualTo(200);
        assertThat(get("/x", "alice").statusCode()).isEqualTo(429);
        assertThat(get("/x", "bob").statusCode()).isEqualTo(200);
    }

    @Test
    void overTheConcurrencyLimitIsA503WithRetryAfterUntilASlotFrees() throws Exception {
        start(GuardPolicy.builder().concurrency(ConcurrencyPolicy.ofMaxConcurrent(1)).build());
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(server.uri("/slow")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> shed = get("/x", null);
        assertThat(shed.statusCode()).isEqualTo(503);
        assertThat(shed.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=connection_limit_reached");
        assertThat(Long.parseLong(shed.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 30L);

        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(get("/x", null).statusCode()).as("the slot was freed").isEqualTo(200);
    }

    /**
     * Mapped for {@code ASYNC} and {@code ERROR} too, the filter admits a request once: its
     * {@code AsyncContext.dispatch()} is not refused, and it holds its slot until it completes.
     */
    @Test
    void anAsyncDispatchIsNotAdmittedAgainAndHoldsTheSlotUntilCompletion() throws Exception {
        start(GuardPolicy.builder().concurrency(ConcurrencyPolicy.ofMaxConcurrent(1)).build(),
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(
                HttpRequest.newBuilder(server.uri("/async")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        suspended.get(10, TimeUnit.SECONDS).dispatch();

        CompletableFuture.anyOf(suspendedAgain, first).get(10, TimeUnit.SECONDS);
        assertThat(first).as("the async dispatch reached the servlet instead of a 503").isNotDone();
        AsyncContext again = suspendedAgain.get();

        assertThat(guardFilter.route().inFlight()).as("in flight once, across its async dispatch").isEqualTo(1);
        HttpResponse<String> concurrent = get("/x", null);
        assertThat(concurrent.statusCode()).as("the suspended request holds the only slot").isEqualTo(503);
        assertThat(guardFilter.route().admitted()).as("a refused request is not admitted").isEqualTo(1);
        assertThat(concurrent.headers().firstValue("proxy-status").orElseThrow())
                .startsWith("upstream-guard;error=connection_limit_reached");

        again.getResponse().getWriter().write("done");
        again.complete();
        HttpResponse<String> firstResponse = first.get(10, TimeUnit.SECONDS);
        assertThat(firstResponse.statusCode()).isEqualTo(200);
        assertThat(firstResponse.body()).isEqualTo("done");

        assertThat(asyncCompleted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(guardFilter.route().inFlight()).as("no longer in flight once the async request completed").isZero();
        assertThat(get("/x", null).statusCode()).as("the slot was freed").isEqualTo(200);
        assertThat(guardFilter.route().admitted()).isEqualTo(2);
    }
}
