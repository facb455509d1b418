package dev.upstreamguard.gateway;

import com.sun.net.httpserver.HttpServer;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.classify.FailureClassifiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The core's by-name rules against the real Spring Framework exceptions, as the real {@code RestClient} and
 * {@code WebClient} raise them from a loopback upstream (filter-core's tables use stand-ins).
 */
class SpringClientExceptionsClassificationTest {

    private static HttpServer upstream;
    private static String base;

    @BeforeAll
    static void startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // answers with the status its path names: /503 -> 503
        upstream.createContext("/", exchange -> {
            int status = Integer.parseInt(exchange.getRequestURI().getPath().substring(1));
            byte[] body = "{\"error\":\"from upstream\"}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        base = "http://127.0.0.1:" + upstream.getAddress().getPort();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.stop(0);
    }

    @ParameterizedTest(name = "RestClient, upstream {0}")
    @ValueSource(ints = {500, 502, 503, 504, 599})
    void anUpstream5xxThroughRestClientIsRelayedAsReceivedStatus(int status) {
        Throwable thrown = catchThrowable(() -> RestClient.create().get().uri(base + "/" + status).retrieve()
                .body(String.class));

        assertThat(thrown).isInstanceOf(HttpServerErrorException.class);
        assertRelayed(thrown, status);
    }

    @ParameterizedTest(name = "WebClient, upstream {0}")
    @ValueSource(ints = {502, 503, 599})
    void anUpstream5xxThroughWebClientIsRelayedAsReceivedStatus(int status) {
        Throwable thrown = catchThrowable(() -> WebClient.create().get().uri(base + "/" + status).retrieve()
                .bodyToMono(String.class).block(Duration.ofSeconds(10)));

        assertThat(thrown).isInstanceOf(WebClientResponseException.class);
        assertRelayed(thrown, status);
    }

    @Test
    void anUpstream4xxIsLeftToTheApplication() {
        Throwable rest = catchThrowable(() -> RestClient.create().get().uri(base + "/404").retrieve().body(String.class));
        Throwable web = catchThrowable(() -> WebClient.create().get().uri(base + "/404").retrieve()
                .bodyToMono(String.class).block(Duration.ofSeconds(10)));

        assertThat(rest).isInstanceOf(HttpClientErrorException.NotFound.class);
        assertThat(web).isInstanceOf(WebClientResponseException.NotFound.class);
        assertThat(FailureClassifiers.defaults().classify(rest, Phase.UNKNOWN)).isNull();
        assertThat(FailureClassifiers.defaults().classify(web, Phase.UNKNOWN)).isNull();
    }

    @Test
    void aRefusedConnectionIsClassifiedThroughSpringsWrapper() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String refused = "http://127.0.0.1:" + closedPort + "/";

        Throwable rest = catchThrowable(() -> RestClient.create().get().uri(refused).retrieve().body(String.class));
        Throwable web = catchThrowable(() -> WebClient.create().get().uri(refused).retrieve()
                .bodyToMono(String.class).block(Duration.ofSeconds(10)));

        assertThat(rest).isInstanceOf(ResourceAccessException.class);
        assertThat(web).isInstanceOf(WebClientRequestException.class);
        assertThat(FailureClassifiers.defaults().classify(rest, Phase.UNKNOWN).type())
                .isEqualTo(ErrorType.CONNECTION_REFUSED);
        assertThat(FailureClassifiers.defaults().classify(web, Phase.UNKNOWN).type())
                .isEqualTo(ErrorType.CONNECTION_REFUSED);
    }

    private static void assertRelayed(Throwable thrown, int status) {
        UpstreamFailure verdict = FailureClassifiers.defaults().classify(thrown, Phase.UNKNOWN);

        assertThat(verdict).as("verdict").isNotNull();
        assertThat(verdict.type()).isEqualTo(ErrorType.HTTP_PROTOCOL_ERROR);
        assertThat(verdict.phase()).isEqualTo(Phase.READ_HEAD);
        assertThat(verdict.parameters()).isEqualTo(Map.of("received-status", status));
    }
}
