package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
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

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static dev.upstreamguard.core.ErrorType.*;
import static dev.upstreamguard.testkit.Fault.*;

/**
 * Apache HttpClient 5 classic, without retries, the shared connect timeout and a 1 s socket timeout. The classic API
 * only tells when the head has arrived (the response handler runs), so the phase is AWAIT_RESPONSE until
 * then and READ_BODY after.
 */
class ApacheHttpClientClassificationTest extends RealClientClassificationTest {

    @Override
    String clientName() {
        return "Apache HttpClient 5.5.1 (classic)";
    }

    @Override
    Map<String, List<ErrorType>> deviations() {
        return Map.ofEntries(
                row(CLOSE_MID_HEAD), // EOF taken as the end of the head: a 200 with no body
                row(INVALID_HEADER_NAME), // accepted
                row(BARE_LF_IN_VALUE), // accepted
                row(NUL_IN_VALUE), // accepted
                row(STATUS_999), // accepted
                // lines that are not a status line are skipped as "garbage", then: "failed to respond"
                row(BAD_STATUS_LINE, CONNECTION_TERMINATED),
                row(HTTP09, CONNECTION_TERMINATED),
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
