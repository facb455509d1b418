package dev.upstreamguard.jetty;

import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HTTP/2 request needs neither {@code Content-Length} nor {@code Transfer-Encoding} to carry a body
 * (RFC 9113 §8.1): an h2c client's body of unknown length reaches the upstream byte for byte (buffered, so
 * replayable, when it arrived whole within {@code retry.max-replayable-body}; else streamed), and a request
 * that ends with its {@code HEADERS} frame still has none.
 */
class Http2RequestBodyTest {

    private EchoUpstream upstream;
    private Server server;
    private ServerConnector h2c;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = EchoUpstream.start();
        server = new Server();
        h2c = new ServerConnector(server, new HTTP2CServerConnectionFactory(new HttpConfiguration()));
        h2c.setHost("127.0.0.1");
        h2c.setPort(0);
        server.addConnector(h2c);
        // the proxy is handed the request once content has arrived, so a body sent whole arrives whole
        server.setHandler(new EagerContentHandler(
                UpstreamGuardProxy.builder().route("/api", List.of(upstream.baseUri())).build()));
        server.start();
        client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        server.stop();
        upstream.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + h2c.getLocalPort() + path);
    }

    /**
     * Bodies small enough to buffer and larger than {@code retry.max-replayable-body} (64k); sent as it is read
     * from a stream (the end in a DATA frame of its own), or whole with {@code END_STREAM} on its only DATA frame.
     */
    @ParameterizedTest(name = "{0} bytes, in one frame: {1}")
    @CsvSource({"17, false", "17, true", "300000, false", "300000, true"})
    void a_body_without_content_length_reaches_the_upstream_byte_exact(int size, boolean whole) throws Exception {
        byte[] body = new byte[size];
        byte[] text = "important-payload".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            body[i] = text[i % text.length];
        }
        org.eclipse.jetty.client.Request.Content content = whole
                ? new ByteBufferRequestContent(ByteBuffer.wrap(body)) {
                    @Override
                    public long getLength() {
                        return -1;
                    }
                }
                : new InputStreamRequestContent(new ByteArrayInputStream(body));
        assertThat(content.getLength()).as("no Content-Length is sent").isNegative();

        ContentResponse response = client.newRequest(uri("/api/upload")).method(HttpMethod.POST).body(content)
                .timeout(10, TimeUnit.SECONDS).send();

        assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        EchoUpstream.Received received = upstream.next();
        assertThat(received.body()).as("the body the upstream received").isEqualTo(body);
        boolean buffered = whole && size <= 64 * 1024;
        assertThat(received.headers().get("Content-Length")).as("a whole small body is buffered (replayable)")
                .isEqualTo(buffered ? String.valueOf(size) : null);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContent()).isEqualTo(body);
    }

    @Test
    void a_request_that_ends_with_its_headers_has_no_body() throws Exception {
        ContentResponse response = client.newRequest(uri("/api/empty")).method(HttpMethod.POST)
                .timeout(10, TimeUnit.SECONDS).send();

        assertThat(response.getStatus()).isEqualTo(200);
        EchoUpstream.Received received = upstream.next();
        assertThat(received.body()).isEmpty();
        assertThat(received.headers().contains("Transfer-Encoding")).as("no body is relayed").isFalse();
    }
}
