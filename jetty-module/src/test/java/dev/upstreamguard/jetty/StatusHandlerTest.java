package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.status.FailureHistory;
import dev.upstreamguard.status.StatusRegistry;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The status handler on a real Jetty server, asked by a real HTTP client over loopback. */
class StatusHandlerTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final StatusRegistry registry = new StatusRegistry(new FailureHistory());
    private ProxyServer server;

    StatusHandlerTest() {
        registry.register("orders", () -> List.of(new UpstreamHealth(Upstream.of("orders-a", "http://127.0.0.1:1"),
                true, 0, 1, Duration.ofSeconds(25))));
        registry.history().onFailure(new FailureEvent("orders", "orders-a",
                UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT), 502, Origin.PROXY, false, 1, 1, 0L, "r"));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aTrustedClientGetsTheHtmlPageUncached() throws Exception {
        start(new StatusHandler(registry));

        HttpResponse<String> response = get(StatusHandler.DEFAULT_PATH, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Content-Security-Policy")).get().asString().startsWith("default-src 'none'");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Vary")).hasValue("Accept");
        assertThat(response.body()).startsWith("<!DOCTYPE html>")
                .contains("data-upstream=\"orders-a\" data-state=\"ejected\"", "ejected, back in 25 s",
                        "data-error=\"connection_refused\"", "upstream refused connection while connecting to upstream");
    }

    @Test
    void theJsonPathAnswersJson() throws Exception {
        start(new StatusHandler(registry));

        HttpResponse<String> response = get(StatusHandler.DEFAULT_PATH + ".json", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Content-Security-Policy")).isEmpty();
        assertThat(response.body()).startsWith("{\"generated_at\":")
                .contains("{\"id\":\"orders-a\",\"state\":\"ejected\",\"ejected_for_ms\":25000",
                        "\"errors\":{\"connection_refused\":1}", "\"error\":\"connection_refused\"");
    }

    @ParameterizedTest(name = "Accept: {0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "none|text/html;charset=utf-8",
        "application/json|application/json",
        "application/json; charset=utf-8|application/json",
        "text/html|text/html;charset=utf-8",
        "*/*|text/html;charset=utf-8",
        "application/json;q=0.5, text/html|text/html;charset=utf-8",
        "text/html;q=0.1, application/json|application/json",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8|text/html;charset=utf-8",
        "image/png|text/html;charset=utf-8",
    })
    void thePagePathFollowsTheAcceptHeader(String accept, String contentType) throws Exception {
        start(new StatusHandler(registry));

        HttpResponse<String> response = get(StatusHandler.DEFAULT_PATH, accept);

        assertThat(response.headers().firstValue("Content-Type")).hasValue(contentType);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StatusHandler.DEFAULT_PATH, StatusHandler.DEFAULT_PATH + ".json"})
    void anUntrustedClientGetsTheSame404AsForAPathThatDoesNotExist(String path) throws Exception {
        start(new StatusHandler(StatusHandler.DEFAULT_PATH, registry, CidrSet.empty()));

        HttpResponse<String> status = get(path, "application/json");
        HttpResponse<String> nothing = get("/upstream-guard/nothing-here", "application/json");

        assertThat(status.statusCode()).isEqualTo(404);
        assertThat(status.headers().firstValue("Content-Type")).isEqualTo(nothing.headers().firstValue("Content-Type"));
        assertThat(status.headers().firstValue("Cache-Control")).isEqualTo(nothing.headers().firstValue("Cache-Control"));
        assertThat(status.body()).doesNotContain("orders", "connection_refused", "Upstream Guard");
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        start(new StatusHandler(registry));

        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(server.uri(StatusHandler.DEFAULT_PATH))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(response.body()).doesNotContain("orders");
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() throws Exception {
        start(new StatusHandler(registry));

        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(server.uri(StatusHandler.DEFAULT_PATH + ".json"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValueAsLong("Content-Length").orElse(0)).isPositive();
        assertThat(response.body()).isEmpty();
    }

    @Test
    void otherPathsGoToTheWrappedHandler() throws Exception {
        StatusHandler page = new StatusHandler("/ops/guard", registry, CidrSet.loopback());
        page.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, StandardCharsets.UTF_8.encode("child"), callback);
                return true;
            }
        });
        start(page);

        assertThat(get("/ops/guard", null).body()).contains("<svg");
        assertThat(get("/ops/guard.json", null).body()).startsWith("{");
        assertThat(get("/upstream-guard/status", null).body()).isEqualTo("child");
        assertThat(get("/ops/guard/more", null).body()).isEqualTo("child");
        assertThat(get("/ops/guardian", null).body()).isEqualTo("child");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "/", "status", "/status/", "/status.json", "/a?b", "/a#b", "//a"})
    void rejectsPathsThatCannotBeServedNamingThem(String path) {
        assertThatThrownBy(() -> new StatusHandler(path, registry, CidrSet.loopback()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status page path")
                .hasMessageEndingWith("was " + path);
    }

    private void start(Handler handler) throws Exception {
        server = ProxyServer.start(handler);
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
