package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's own {@code RequestRateLimiter} (its Redis rate limiter, against a real {@code redis-server} on
 * loopback) and the starter's rate limit on the same route of a real gateway. The gateway's limiter runs first
 * (a route filter) and keys by the {@code X-Client} header, allowing 2 requests per client (then one every 20 s);
 * the starter's keys
 * by client address, allowing 3 a minute. A request the gateway's limiter refuses is its 429 with its own
 * {@code X-RateLimit-*} fields, untouched, and never counts against the starter's limit; a request it admits
 * and the starter refuses is the starter's 429 with {@code Proxy-Status} and {@code RateLimit} fields.
 * Runs in its own surefire execution ({@code redis-rate-limiter}): Spring Data Redis is on no other test
 * classpath.
 */
@Tag("redis")
class RequestRateLimiterTest {

    /** Tokens per request and capacity of the gateway's limiter: 2 requests, then 1 token a second (20 s for one more). */
    static final int TOKENS_PER_REQUEST = 20;

    private static final MisbehavingUpstream UPSTREAM = MisbehavingUpstream.start();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static RedisServer redis;
    private static ConfigurableApplicationContext gateway;
    private static int port;

    /** The gateway's limiter keys by the {@code X-Client} header. */
    @Configuration(proxyBeanMethods = false)
    static class ClientKey {
        @Bean
        KeyResolver clientHeaderKey() {
            return exchange -> Mono.justOrEmpty(exchange.getRequest().getHeaders().getFirst("X-Client"));
        }
    }

    @BeforeAll
    static void start() throws IOException {
        int redisPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            redisPort = free.getLocalPort();
        }
        redis = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort)
                .setting("save \"\"").setting("appendonly no")
                .soutListener(line -> { }).serrListener(line -> { }).build();
        redis.start();

        Map<String, Object> p = new LinkedHashMap<>(GatewayTestApp.commonProperties());
        GatewayTestApp.route(p, 4, "both-limits", UPSTREAM.baseUri(), "/limited/**");
        String filters = GatewayTestApp.GW + "routes[4].filters";
        p.put(filters + "[0]", "StripPrefix=1");
        p.put(filters + "[1].name", "RequestRateLimiter");
        p.put(filters + "[1].args.redis-rate-limiter.replenishRate", 1);
        p.put(filters + "[1].args.redis-rate-limiter.burstCapacity", 2 * TOKENS_PER_REQUEST);
        p.put(filters + "[1].args.redis-rate-limiter.requestedTokens", TOKENS_PER_REQUEST);
        p.put(filters + "[2].name", "UpstreamGuard");
        p.put(filters + "[2].args.rate-limit", "3/60s");
        p.put("spring.data.redis.host", "127.0.0.1");
        p.put("spring.data.redis.port", redisPort);
        p.put("server.port", 0);
        gateway = new SpringApplicationBuilder(GatewayTestApp.class, ClientKey.class).properties(p).run();
        port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (redis != null) {
            redis.stop();
        }
        UPSTREAM.close();
    }

    private static HttpResponse<String> get(String client) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/limited" + Fault.CONTROL_OK.path()))
                .header("X-Client", client).header("Accept", "application/problem+json")
                .timeout(Duration.ofSeconds(15)).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The gateway's limiter's {@code X-RateLimit-Remaining}; the test fails without it. */
    private static int remaining(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue("X-RateLimit-Remaining")
                .orElseThrow(() -> new AssertionError("no X-RateLimit-Remaining: " + response.headers().map())));
    }

    @Test
    void eachLimiterAnswersItsOwn429AndNeitherCountsTheOthersRefusals() throws Exception {
        for (int i = 1; i <= 2; i++) {
            HttpResponse<String> admitted = get("a");
            assertThat(admitted.statusCode()).as("request %d of client a", i).isEqualTo(200);
            assertThat(remaining(admitted)).as("the gateway's limiter ran (it refills 1 token a second meanwhile)")
                    .isBetween((2 - i) * TOKENS_PER_REQUEST, (3 - i) * TOKENS_PER_REQUEST - 1);
            assertThat(admitted.headers().firstValue("RateLimit")).as("the starter's limiter ran").isPresent();
        }

        for (int i = 0; i < 3; i++) { // the gateway's limiter refuses client a: its own 429, nothing of ours
            HttpResponse<String> refused = get("a");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(remaining(refused)).as("its own field").isLessThan(TOKENS_PER_REQUEST);
            assertThat(refused.headers().firstValue("Proxy-Status")).isEmpty();
            assertThat(refused.headers().firstValue("RateLimit")).isEmpty();
            assertThat(refused.body()).doesNotContain("http_request_error");
        }

        HttpResponse<String> third = get("b"); // the starter's third of three: the gateway's refusals were not counted
        assertThat(third.statusCode()).as("the starter counted only what the gateway's limiter admitted").isEqualTo(200);

        HttpResponse<String> ours = get("c"); // admitted by the gateway's limiter, refused by the starter's
        assertThat(ours.statusCode()).isEqualTo(429);
        assertThat(ours.headers().firstValue("Proxy-Status")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("upstream-guard;error=http_request_error"));
        assertThat(ours.headers().firstValue("Retry-After")).isPresent();
        assertThat(ours.headers().firstValue("RateLimit-Policy")).isPresent();
        assertThat(remaining(ours)).as("the gateway's limiter admitted it, its field stays")
                .isBetween(TOKENS_PER_REQUEST, 2 * TOKENS_PER_REQUEST - 1);
        assertThat(ours.body()).contains("\"status\":429");

        assertThat(UPSTREAM.requestCount(Fault.CONTROL_OK)).as("only the three admitted by both reached the upstream")
                .isEqualTo(3);
    }
}
