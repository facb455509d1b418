package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.UnknownContentTypeException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.upstreamguard.core.ErrorType.*;
import static dev.upstreamguard.core.Phase.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Spring's HTTP client exceptions and resilience4j's refusals, through test-only stand-ins with the real
 * fully-qualified names and the members the rules read (neither library is on filter-core's classpath).
 */
class SpringAndResilience4jClassificationTest {

    private static final String SECRET = "http://secret-host.internal:8080/orders 10.1.2.3";

    private final FailureClassifier classifier = FailureClassifiers.defaults();

    @ParameterizedTest(name = "{0}")
    @MethodSource({"upstreamServerErrors", "transportFailuresWrappedBySpring", "resilience4jRefusals"})
    void classifies(String name, Supplier<Throwable> failure, Phase observed, ErrorType type, Phase phase,
                    Map<String, Object> parameters) {
        Throwable thrown = failure.get();

        UpstreamFailure verdict = classifier.classify(thrown, observed);

        assertThat(verdict).as("verdict").isNotNull();
        assertThat(verdict.type()).as("type").isEqualTo(type);
        assertThat(verdict.phase()).as("phase").isEqualTo(phase);
        assertThat(verdict.parameters()).as("parameters").isEqualTo(parameters);
        assertThat(verdict.cause()).as("cause is the classified throwable").isSameAs(thrown);
        assertThat(verdict.details()).as("details").isNotBlank().doesNotContain("secret").doesNotContain("10.1.2.3");
    }

    /** An upstream 5xx, however the client reports it: 502 http_protocol_error with the upstream's status. */
    static Stream<Arguments> upstreamServerErrors() {
        return Stream.of(
                relayed("RestClient HttpServerErrorException$InternalServerError", 500),
                relayed("RestClient HttpServerErrorException$BadGateway", 502),
                relayed("RestClient HttpServerErrorException$ServiceUnavailable", 503),
                relayed("RestClient HttpServerErrorException$GatewayTimeout", 504),
                row("RestClient HttpServerErrorException 599 (a status without an enum constant)",
                        () -> HttpServerErrorException.create(HttpStatusCode.valueOf(599)), UNKNOWN,
                        HTTP_PROTOCOL_ERROR, READ_HEAD, Map.of("received-status", 599)),
                row("RestClient HttpServerErrorException whose status cannot be read",
                        () -> new HttpServerErrorException(() -> { throw new IllegalStateException(SECRET); }), UNKNOWN,
                        HTTP_PROTOCOL_ERROR, READ_HEAD, Map.of()),
                row("WebClientResponseException$BadGateway", () -> WebClientResponseException.create(502), READ_BODY,
                        HTTP_PROTOCOL_ERROR, READ_HEAD, Map.of("received-status", 502)),
                row("WebClientResponseException 503 (no subclass)", () -> WebClientResponseException.create(503),
                        UNKNOWN, HTTP_PROTOCOL_ERROR, READ_HEAD, Map.of("received-status", 503)),
                row("WebClientResponseException 599", () -> WebClientResponseException.create(599), UNKNOWN,
                        HTTP_PROTOCOL_ERROR, READ_HEAD, Map.of("received-status", 599)),
                row("HttpServerErrorException wrapped by a CompletionException",
                        () -> new CompletionException(HttpServerErrorException.create(HttpStatus.BAD_GATEWAY)), UNKNOWN,
                        HTTP_PROTOCOL_ERROR, READ_HEAD, Map.of("received-status", 502)),
                row("UnknownContentTypeException (a 200 in text/html)",
                        () -> new UnknownContentTypeException(HttpStatusCode.valueOf(200)), UNKNOWN,
                        HTTP_PROTOCOL_ERROR, READ_BODY, Map.of("received-status", 200)));
    }

    /** ResourceAccessException and WebClientRequestException need no rule of their own: their cause decides. */
    static Stream<Arguments> transportFailuresWrappedBySpring() {
        return Stream.of(
                row("ResourceAccessException around ConnectException",
                        () -> new ResourceAccessException("I/O error on GET request for " + SECRET,
                                new ConnectException("Connection refused")), UNKNOWN, CONNECTION_REFUSED, CONNECT, Map.of()),
                row("ResourceAccessException around a read SocketTimeoutException",
                        () -> new ResourceAccessException("I/O error on GET request for " + SECRET,
                                new SocketTimeoutException("Read timed out")), AWAIT_RESPONSE,
                        HTTP_RESPONSE_TIMEOUT, AWAIT_RESPONSE, Map.of()),
                row("ResourceAccessException around UnknownHostException",
                        () -> new ResourceAccessException("I/O error on GET request for " + SECRET,
                                new UnknownHostException(SECRET)), UNKNOWN, DNS_ERROR, RESOLVE, Map.of()),
                row("RestClientException around an I/O failure mid body",
                        () -> new RestClientException("Error while extracting response",
                                new IOException("Premature EOF")), READ_BODY, HTTP_RESPONSE_INCOMPLETE, READ_BODY,
                        Map.of()),
                row("WebClientRequestException around ConnectException",
                        () -> new WebClientRequestException(new ConnectException("Connection refused: " + SECRET)),
                        UNKNOWN, CONNECTION_REFUSED, CONNECT, Map.of()),
                row("WebClientRequestException around UnknownHostException",
                        () -> new WebClientRequestException(new UnknownHostException(SECRET)), UNKNOWN,
                        DNS_ERROR, RESOLVE, Map.of()));
    }

    /** The application's own guards refused the call: the request never left. */
    static Stream<Arguments> resilience4jRefusals() {
        return Stream.of(
                row("CallNotPermittedException (circuit open)", () -> new CallNotPermittedException(
                        "CircuitBreaker 'orders' is OPEN and does not permit further calls"), UNKNOWN,
                        DESTINATION_UNAVAILABLE, ADMISSION, Map.of()),
                row("CallNotPermittedException, whatever phase was observed", () -> new CallNotPermittedException(
                        "CircuitBreaker 'orders' is FORCED_OPEN"), CONNECT, DESTINATION_UNAVAILABLE, ADMISSION, Map.of()),
                row("BulkheadFullException", () -> new BulkheadFullException(
                        "Bulkhead 'orders' is full and does not permit further calls"), UNKNOWN,
                        CONNECTION_LIMIT_REACHED, ADMISSION, Map.of()),
                row("RequestNotPermitted (rate limiter)", () -> new RequestNotPermitted(
                        "RateLimiter 'orders' does not permit further calls"), UNKNOWN,
                        CONNECTION_LIMIT_REACHED, ADMISSION, Map.of()),
                row("CallNotPermittedException wrapped by a CompletionException", () -> new CompletionException(
                        new CallNotPermittedException("CircuitBreaker 'orders' is OPEN")), UNKNOWN,
                        DESTINATION_UNAVAILABLE, ADMISSION, Map.of()));
    }

    /** An upstream 4xx judged the request this application made: its own error, left to its own handling. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamClientErrors")
    void leavesUpstreamClientErrorsToTheApplication(String name, Supplier<Throwable> failure) {
        assertThat(classifier.classify(failure.get(), Phase.UNKNOWN)).isNull();
        assertThat(classifier.classify(failure.get(), Phase.READ_BODY)).isNull();
    }

    static Stream<Arguments> upstreamClientErrors() {
        return Stream.of(
                arguments("RestClient HttpClientErrorException$NotFound", (Supplier<Throwable>) HttpClientErrorException.NotFound::new),
                arguments("RestClient HttpClientErrorException 429",
                        (Supplier<Throwable>) () -> new HttpClientErrorException(HttpStatus.TOO_MANY_REQUESTS)),
                arguments("WebClientResponseException$NotFound",
                        (Supplier<Throwable>) () -> WebClientResponseException.create(404)),
                arguments("WebClientResponseException 429",
                        (Supplier<Throwable>) () -> WebClientResponseException.create(429)),
                arguments("a RestClientException of the application's own (no cause)",
                        (Supplier<Throwable>) () -> new RestClientException("No HttpMessageConverter for the request")));
    }

    @Test
    void anUpstream5xxIsAnsweredAsA502ThatNamesTheReceivedStatus() {
        UpstreamFailure verdict = FailureClassifiers.classifyOrInternal(classifier,
                HttpServerErrorException.create(HttpStatus.SERVICE_UNAVAILABLE), Phase.UNKNOWN);

        assertThat(verdict.type().recommendedStatus()).isEqualTo(502);
        assertThat(dev.upstreamguard.core.diagnostics.ProxyStatus.member("upstream-guard", verdict, null, false))
                .isEqualTo("upstream-guard;error=http_protocol_error;received-status=503");
    }

    private static Arguments relayed(String name, int status) {
        return row(name, () -> HttpServerErrorException.create(HttpStatusCode.valueOf(status)), UNKNOWN,
                HTTP_PROTOCOL_ERROR, READ_HEAD, Map.of("received-status", status));
    }

    private static Arguments row(String name, Supplier<Throwable> failure, Phase observed, ErrorType type, Phase phase,
                                 Map<String, Object> parameters) {
        return arguments(name, failure, observed, type, phase, parameters);
    }
}
