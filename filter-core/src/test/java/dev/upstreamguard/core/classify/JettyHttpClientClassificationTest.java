package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.Phase;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.params.provider.Arguments;

import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static dev.upstreamguard.core.ErrorType.*;
import static dev.upstreamguard.testkit.Fault.*;

/**
 * Jetty 12's {@code HttpClient} with a 16 KiB response-head limit (unlimited by default). Its request and
 * response listeners give the phase exactly: CONNECT until the request begins, SEND_REQUEST, then
 * AWAIT_RESPONSE, READ_HEAD at the status line and READ_BODY once the headers are in.
 */
class JettyHttpClientClassificationTest extends RealClientClassificationTest {

    @Override
    String clientName() {
        return "Jetty HttpClient 12.1.12";
    }

    Stream<Arguments> expectations() {
        return Stream.of(
                row(REFUSED, CONNECTION_REFUSED),
                row(CONNECT_TIMEOUT, CONNECTION_TIMEOUT),
                row(UNRESOLVABLE, DNS_ERROR),
                row(TLS_TO_PLAIN_PORT, TLS_PROTOCOL_ERROR),
                row(CONTROL_OK),
                row(RESET_BEFORE_RESPONSE, CONNECTION_TERMINATED),
                row(CLOSE_BEFORE_RESPONSE, CONNECTION_TERMINATED),
                row(CLOSE_MID_HEAD, HTTP_RESPONSE_INCOMPLETE),
                row(STALL, HTTP_RESPONSE_TIMEOUT),
                row(TRUNCATED_BODY_CONTENT_LENGTH, HTTP_RESPONSE_INCOMPLETE),
                row(TRUNCATED_BODY_CHUNKED, HTTP_RESPONSE_INCOMPLETE),
                // the RST may discard the head before the client read it
                row(RESET_MID_BODY, HTTP_RESPONSE_INCOMPLETE, CONNECTION_TERMINATED),
                row(INVALID_HEADER_NAME, HTTP_PROTOCOL_ERROR),
                row(BARE_LF_IN_VALUE), // Jetty takes the bare LF as a line end: the smuggled Set-Cookie arrives
                row(NUL_IN_VALUE, HTTP_PROTOCOL_ERROR),
                row(HUGE_HEADER, HTTP_RESPONSE_HEADER_SECTION_SIZE),
                row(HUGE_HEAD, HTTP_RESPONSE_HEADER_SECTION_SIZE),
                row(BAD_STATUS_LINE, HTTP_PROTOCOL_ERROR),
                row(HTTP09, HTTP_PROTOCOL_ERROR),
                row(STATUS_999),
                // seen both: the parser's "Multiple Content-Lengths", or (racing the FIN) a bare EOF before the head
                row(DUPLICATE_CONTENT_LENGTH, HTTP_PROTOCOL_ERROR, CONNECTION_TERMINATED),
                row(BAD_CHUNK_SIZE, HTTP_RESPONSE_INCOMPLETE), // Jetty reports the bad size as an early EOF
                row(TLS_ON_PLAIN_PORT, HTTP_PROTOCOL_ERROR));
    }

    @org.junit.jupiter.api.BeforeAll
    void jettyRunsAsInProduction() {
        org.junit.jupiter.api.Assumptions.assumeFalse(JettyAssertions.enabled(),
                "Jetty classes were initialised with assertions on by an earlier test; they replace its exceptions");
    }

    @Override
    RealClient newClient() throws Exception {
        HttpClient client = new HttpClient();
        client.setConnectTimeout(RealClient.CONNECT_TIMEOUT.toMillis());
        client.setMaxResponseHeadersSize(16 * 1024);
        client.start();
        return new RealClient() {
            @Override
            public RealClientAttempt get(URI uri) {
                AtomicReference<Phase> phase = new AtomicReference<>(Phase.CONNECT);
                try {
                    ContentResponse response = client.newRequest(uri)
                            .headers(headers -> headers.put("Connection", "close")) // faults end connections

                            .timeout(RealClient.RESPONSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .onRequestBegin(r -> phase.set(Phase.SEND_REQUEST))
                            .onRequestSuccess(r -> phase.set(Phase.AWAIT_RESPONSE))
                            .onResponseBegin(r -> phase.set(Phase.READ_HEAD))
                            .onResponseHeaders(r -> phase.set(Phase.READ_BODY))
                            .send();
                    return RealClientAttempt.succeeded(response.getStatus());
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    return RealClientAttempt.failed(e, phase.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return RealClientAttempt.failed(e, phase.get());
                }
            }

            @Override
            public void close() throws Exception {
                client.stop();
            }
        };
    }
}
