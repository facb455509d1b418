package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.Phase;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static dev.upstreamguard.core.ErrorType.*;
import static dev.upstreamguard.testkit.Fault.*;

/**
 * The JDK {@code java.net.http.HttpClient}. Its callbacks only tell when the head has arrived (the body
 * handler is called), so the observed phase is AWAIT_RESPONSE until then and READ_BODY after.
 */
class JdkHttpClientClassificationTest extends RealClientClassificationTest {

    static {
        // read once per JVM by jdk.internal.net.http.Http1HeaderParser (default 384 KiB); a gateway would set it
        if (System.getProperty("jdk.http.maxHeaderSize") == null) {
            System.setProperty("jdk.http.maxHeaderSize", "16384");
        }
    }

    @Override
    String clientName() {
        return "JDK HttpClient 17";
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
                row(BARE_LF_IN_VALUE),
                row(NUL_IN_VALUE, HTTP_PROTOCOL_ERROR),
                row(HUGE_HEADER, HTTP_RESPONSE_HEADER_SECTION_SIZE),
                row(HUGE_HEAD, HTTP_RESPONSE_HEADER_SECTION_SIZE),
                row(BAD_STATUS_LINE, HTTP_PROTOCOL_ERROR),
                row(HTTP09, HTTP_PROTOCOL_ERROR),
                row(STATUS_999),
                row(DUPLICATE_CONTENT_LENGTH),
                row(BAD_CHUNK_SIZE, HTTP_RESPONSE_TRANSFER_CODING),
                row(TLS_ON_PLAIN_PORT, HTTP_RESPONSE_INCOMPLETE));
    }

    @Override
    RealClient newClient() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(RealClient.CONNECT_TIMEOUT).build();
        return new RealClient() {
            @Override
            public RealClientAttempt get(URI uri) {
                AtomicReference<Phase> phase = new AtomicReference<>(Phase.AWAIT_RESPONSE);
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(RealClient.RESPONSE_TIMEOUT).GET().build();
                try {
                    HttpResponse<byte[]> response = client.send(request, head -> {
                        phase.set(Phase.READ_BODY);
                        return HttpResponse.BodySubscribers.ofByteArray();
                    });
                    return RealClientAttempt.succeeded(response.statusCode());
                } catch (IOException | RuntimeException e) {
                    return RealClientAttempt.failed(e, phase.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return RealClientAttempt.failed(e, phase.get());
                }
            }

            @Override
            public void close() {
                // java.net.http.HttpClient has no close() before Java 21; its threads are daemons
            }
        };
    }
}
