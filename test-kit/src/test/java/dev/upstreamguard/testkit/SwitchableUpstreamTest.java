package dev.upstreamguard.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwitchableUpstreamTest {

    @Test
    void refusesThenServesThenRefusesAgainOnTheSamePortCountingEveryServedRequest() throws Exception {
        try (SwitchableUpstream upstream = SwitchableUpstream.refusing()) {
            URI uri = upstream.baseUri();
            assertThatThrownBy(() -> get(uri)).isInstanceOf(ConnectException.class);

            upstream.serve();
            assertThat(get(uri)).startsWith("HTTP/1.1 200 OK");
            upstream.refuse();
            assertThatThrownBy(() -> get(uri)).isInstanceOf(ConnectException.class);
            upstream.serve();
            assertThat(get(uri)).startsWith("HTTP/1.1 200 OK");

            assertThat(upstream.baseUri()).isEqualTo(uri);
            assertThat(upstream.requestCount(Fault.CONTROL_OK)).isEqualTo(2);
        }
    }

    @Test
    void eachDeviationNamesAScenarioAndSaysWhy() {
        for (var list : java.util.List.of(Deviations.JETTY_MODULE, Deviations.GATEWAY_STARTER,
                Deviations.SERVLET_FILTER_WITH_JDK_CLIENT)) {
            list.forEach((name, d) -> {
                assertThat(Scenarios.named(name)).isNotNull();
                assertThat(d.why()).isNotBlank();
                assertThat(d.status()).isBetween(200, 599);
            });
        }
    }

    private static String get(URI uri) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + Fault.CONTROL_OK.path() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
