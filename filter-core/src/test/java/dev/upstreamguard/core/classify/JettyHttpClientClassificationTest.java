package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

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

    @Override
    Map<String, List<ErrorType>> deviations() {
        return Map.ofEntries(
                row(BARE_LF_IN_VALUE), // the bare LF ends the line: the smuggled Set-Cookie arrives as a header
                row(STATUS_999), // accepted
                // seen both: the parser's "Multiple Content-Lengths", or (racing the FIN) a bare EOF before the head
                row(DUPLICATE_CONTENT_LENGTH, HTTP_PROTOCOL_ERROR, CONNECTION_TERMINATED),
                row(BAD_CHUNK_SIZE, HTTP_RESPONSE_INCOMPLETE)); // reported as an early EOF
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
                            // callbacks of the request and the response race (the upstream may answer before
                            // onRequestSuccess runs): the phase only ever moves forward
                            .onRequestBegin(r -> advance(phase, Phase.SEND_REQUEST))
                            .onRequestSuccess(r -> advance(phase, Phase.AWAIT_RESPONSE))
                            .onResponseBegin(r -> advance(phase, Phase.READ_HEAD))
                            .onResponseHeaders(r -> advance(phase, Phase.READ_BODY))
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

    private static void advance(AtomicReference<Phase> phase, Phase next) {
        phase.accumulateAndGet(next, (current, candidate) -> candidate.ordinal() > current.ordinal() ? candidate : current);
    }
}
