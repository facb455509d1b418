package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.Phase;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static dev.upstreamguard.core.ErrorType.*;
import static dev.upstreamguard.testkit.Fault.*;

/**
 * Apache HttpClient 5 classic, without retries, 500 ms connect and 1 s socket timeout. The classic API
 * only tells when the head has arrived (the response handler runs), so the phase is AWAIT_RESPONSE until
 * then and READ_BODY after.
 */
class ApacheHttpClientClassificationTest extends RealClientClassificationTest {

    @Override
    String clientName() {
        return "Apache HttpClient 5.5.1 (classic)";
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
                row(CLOSE_MID_HEAD), // Apache takes EOF as the end of the head: a 200 with no body
                row(STALL, HTTP_RESPONSE_TIMEOUT),
                row(TRUNCATED_BODY_CONTENT_LENGTH, HTTP_RESPONSE_INCOMPLETE),
                row(TRUNCATED_BODY_CHUNKED, HTTP_RESPONSE_INCOMPLETE),
                row(RESET_MID_BODY, HTTP_RESPONSE_INCOMPLETE, CONNECTION_TERMINATED),
                row(INVALID_HEADER_NAME), // lenient: accepted
                row(BARE_LF_IN_VALUE), // lenient: accepted
                row(NUL_IN_VALUE), // lenient: accepted
                row(HUGE_HEADER, HTTP_RESPONSE_HEADER_SECTION_SIZE),
                row(HUGE_HEAD, HTTP_RESPONSE_HEADER_SECTION_SIZE),
                // Apache skips lines that are not a status line as "garbage" and then reports no response
                row(BAD_STATUS_LINE, CONNECTION_TERMINATED),
                row(HTTP09, CONNECTION_TERMINATED),
                row(STATUS_999),
                row(DUPLICATE_CONTENT_LENGTH, HTTP_PROTOCOL_ERROR),
                row(BAD_CHUNK_SIZE, HTTP_RESPONSE_TRANSFER_CODING),
                row(TLS_ON_PLAIN_PORT, CONNECTION_TERMINATED));
    }

    @Override
    RealClient newClient() {
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        // unlimited by default; a gateway sets limits like these
                        .setConnectionFactory(ManagedHttpClientConnectionFactory.builder().http1Config(
                                Http1Config.custom().setMaxLineLength(8192).setMaxHeaderCount(100).build()).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(RealClient.CONNECT_TIMEOUT))
                                .setSocketTimeout(Timeout.of(RealClient.RESPONSE_TIMEOUT)).build())
                        .build())
                .disableAutomaticRetries()
                .build();
        return new RealClient() {
            @Override
            public RealClientAttempt get(URI uri) {
                AtomicReference<Phase> phase = new AtomicReference<>(Phase.AWAIT_RESPONSE);
                try {
                    HttpGet get = new HttpGet(uri);
                    get.setHeader("Connection", "close"); // faults end connections: never reuse one
                    Integer status = client.execute(get, response -> {
                        phase.set(Phase.READ_BODY);
                        EntityUtils.consume(response.getEntity());
                        return response.getCode();
                    });
                    return RealClientAttempt.succeeded(status);
                } catch (IOException | RuntimeException e) {
                    return RealClientAttempt.failed(e, phase.get());
                }
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }
}
