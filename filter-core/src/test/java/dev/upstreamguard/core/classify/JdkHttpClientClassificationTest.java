package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

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
        return "JDK HttpClient " + Runtime.version().feature();
    }

    @Override
    Map<String, List<ErrorType>> deviations() {
        return Map.ofEntries(
                row(BARE_LF_IN_VALUE), // accepted
                row(STATUS_999), // accepted
                row(DUPLICATE_CONTENT_LENGTH), // accepted
                // the 7 alert bytes are read as the start of a status line that never ends
                row(TLS_ON_PLAIN_PORT, HTTP_RESPONSE_INCOMPLETE));
    }

    @Override
    RealClient newClient() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(RealClient.CONNECT_TIMEOUT).build();
        AtomicBoolean tlsWarm = new AtomicBoolean();
        return new RealClient() {
            @Override
            public RealClientAttempt get(URI uri) {
                // the connect timeout covers the TLS handshake, and the JVM's first one loads and initialises the
                // TLS stack: 0.3-0.8 s on a loaded 2-core machine (JDK 17 and 25), more than the 500 ms, so the
                // answer would be a connect timeout instead of the SSLException; a first attempt warms it up
                if ("https".equals(uri.getScheme()) && tlsWarm.compareAndSet(false, true)) {
                    attempt(uri);
                }
                return attempt(uri);
            }

            private RealClientAttempt attempt(URI uri) {
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
