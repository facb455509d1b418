package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import io.netty.channel.ChannelOption;
import io.netty.resolver.DefaultAddressResolverGroup;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static dev.upstreamguard.core.ErrorType.*;
import static dev.upstreamguard.testkit.Fault.*;

/**
 * Reactor Netty's {@code HttpClient} (what Spring Cloud Gateway uses), with the JDK resolver so the
 * test hosts file applies, a 1 s response timeout and the default 8 KiB header limit. Its callbacks give
 * CONNECT until the request goes out, SEND_REQUEST, AWAIT_RESPONSE once sent, READ_BODY once the head is in.
 */
class ReactorNettyHttpClientClassificationTest extends RealClientClassificationTest {

    private ConnectionProvider connections;

    @Override
    String clientName() {
        return "Reactor Netty HttpClient 1.3.6";
    }

    @Override
    Map<String, List<ErrorType>> deviations() {
        return Map.ofEntries(
                // "Connection closed before received headers": Netty does not say whether part of it came
                row(CLOSE_MID_HEAD, HTTP_RESPONSE_INCOMPLETE, CONNECTION_TERMINATED),
                row(INVALID_HEADER_NAME), // lenient: "Bad Header: x" arrives as "Bad: x"
                row(STATUS_999)); // accepted
    }

    @Override
    RealClient newClient() {
        connections = ConnectionProvider.newConnection();
        HttpClient base = HttpClient.create(connections)
                .resolver(DefaultAddressResolverGroup.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) RealClient.CONNECT_TIMEOUT.toMillis())
                .responseTimeout(RealClient.RESPONSE_TIMEOUT);
        return new RealClient() {
            @Override
            public RealClientAttempt get(URI uri) {
                AtomicReference<Phase> phase = new AtomicReference<>(Phase.CONNECT);
                try {
                    Integer status = base
                            .doOnRequest((request, connection) -> phase.set(Phase.SEND_REQUEST))
                            .doAfterRequest((request, connection) -> phase.set(Phase.AWAIT_RESPONSE))
                            .doOnResponse((response, connection) -> phase.set(Phase.READ_BODY))
                            .get().uri(uri)
                            .responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
                                    .map(bytes -> response.status().code()))
                            .block(Duration.ofSeconds(10));
                    return RealClientAttempt.succeeded(status == null ? 0 : status);
                } catch (RuntimeException e) {
                    return RealClientAttempt.failed(e, phase.get());
                }
            }

            @Override
            public void close() {
                connections.disposeLater().block(Duration.ofSeconds(5));
            }
        };
    }
}
