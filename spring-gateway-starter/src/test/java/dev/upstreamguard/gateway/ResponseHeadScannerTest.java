package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.PolicyBinder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.NettyPipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The raw head scan before Netty's decoder, on an embedded channel: every byte its own read where it matters. */
class ResponseHeadScannerTest {

    private static final String BODY_FIELDS = "Content-Length: 2\r\n\r\nok";
    private static final UpstreamGuard STRICT = UpstreamGuard.withDefaults();
    private static final UpstreamGuard FOLDS_REPLACED = UpstreamGuard.builder()
            .policy(PolicyBinder.bind(Map.of("validation.obs-fold", "replace-with-space"))).build();

    @Test
    void aValidHeadOfManyFieldsPassesInOneByteReads() {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 100; i++) {
            head.append("X-Field-").append(i).append(": value ").append(i).append("\r\n");
        }
        EmbeddedChannel channel = armed(STRICT);
        feedByteByByte(channel, head + BODY_FIELDS);
        HttpResponse response = decodedHead(channel);
        assertThat(response.headers().get("X-Field-99")).isEqualTo("value 99");
        assertThat(channel.isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bad Header: x", "X-A@b: 1", "X-Foo : bar", "X-Foo\t: bar", ": empty", "No-Colon",
            "X-\u00e9: 1", " First-Line-Indented: x"})
    void aNameThatIsNotATokenFailsAndCloses(String fieldLine) {
        String before = fieldLine.startsWith(" ") ? "" : "Date: today\r\n"; // whitespace before the first field
        assertFailsWith(armed(STRICT), "HTTP/1.1 200 OK\r\n" + before + fieldLine + "\r\n" + BODY_FIELDS,
                "invalid header field name");
    }

    @Test
    void obsFoldIsRejectedByDefault() {
        assertFailsWith(armed(STRICT), "HTTP/1.1 200 OK\r\nX-Test: first\r\n second\r\n" + BODY_FIELDS,
                "obs-fold in header value");
        assertFailsWith(armed(STRICT), "HTTP/1.1 200 OK\nX-Test: first\n\tsecond\n" + BODY_FIELDS,
                "obs-fold in header value");
    }

    @Test
    void obsFoldIsLeftToTheDecodersUnfoldingWhenThePolicyReplacesIt() {
        EmbeddedChannel channel = armed(FOLDS_REPLACED);
        feedByteByByte(channel, "HTTP/1.1 200 OK\r\nX-Test: first\r\n second\r\n" + BODY_FIELDS);
        assertThat(decodedHead(channel).headers().get("X-Test")).isEqualTo("first second");
    }

    @ParameterizedTest
    @ValueSource(strings = {"content-LENGTH: 2\r\n ", "Transfer-Encoding: chunked\r\n\t"})
    void aFoldInAFramingFieldIsRejectedEvenWhenFoldsAreReplaced(String folded) {
        assertFailsWith(armed(FOLDS_REPLACED), "HTTP/1.1 200 OK\r\n" + folded + "\r\n\r\nok",
                "obs-fold in Content-Length or Transfer-Encoding");
    }

    @Test
    void theHeadAfterAnInterimResponseIsScannedToo() {
        assertFailsWith(armed(STRICT), "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nBad Header: x\r\n"
                + BODY_FIELDS, "invalid header field name");
    }

    @Test
    void theBodyIsNotScannedAndTheNextRequestRearms() {
        EmbeddedChannel channel = armed(STRICT);
        feedByteByByte(channel, "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\nBad Header: x\r\n\r\n");
        assertThat(decodedHead(channel).status().code()).isEqualTo(200);
        assertThat(channel.isOpen()).isTrue();
        releaseInbound(channel);
        ResponseHeadScanner.expectResponse(channel, new GuardedAttempt(STRICT, 0));
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        assertFailsWith(channel, "HTTP/1.1 200 OK\r\nX-A@b: 1\r\n" + BODY_FIELDS, "invalid header field name");
    }

    @Test
    void withoutAnAttemptTheHeadIsTheDecodersAlone() {
        EmbeddedChannel channel = channel();
        ResponseHeadScanner.expectResponse(channel, null);
        feedByteByByte(channel, "HTTP/1.1 200 OK\r\nBad Header: x\r\n" + BODY_FIELDS);
        assertThat(decodedHead(channel).headers().get("Bad")).isEqualTo("x");
    }

    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpClientCodec());
        ResponseHeadScanner.install(channel);
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        return channel;
    }

    private static EmbeddedChannel armed(UpstreamGuard guard) {
        EmbeddedChannel channel = channel();
        ResponseHeadScanner.expectResponse(channel, new GuardedAttempt(guard, 0));
        return channel;
    }

    private static void feedByteByByte(EmbeddedChannel channel, String bytes) {
        for (byte b : bytes.getBytes(StandardCharsets.ISO_8859_1)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        channel.checkException();
    }

    private static void assertFailsWith(EmbeddedChannel channel, String response, String details) {
        assertThatThrownBy(() -> feedByteByByte(channel, response))
                .isInstanceOfSatisfying(UpstreamFailureException.class, e -> {
                    assertThat(e.failure().type()).isEqualTo(ErrorType.HTTP_PROTOCOL_ERROR);
                    assertThat(e.failure().details()).startsWith(details);
                });
        assertThat(channel.isOpen()).as("the connection is closed").isFalse();
        List<Object> decoded = releaseInbound(channel);
        // the decoder reports the head it had begun as cut short when the connection closes, never as a response
        assertThat(decoded).as("no final response head came out of the decoder")
                .noneMatch(m -> m instanceof HttpResponse r && r.decoderResult().isSuccess() && r.status().code() >= 200);
    }

    private static HttpResponse decodedHead(EmbeddedChannel channel) {
        Object first = channel.inboundMessages().peek();
        assertThat(first).isInstanceOf(HttpResponse.class);
        assertThat(((HttpResponse) first).decoderResult().isSuccess()).isTrue();
        return (HttpResponse) first;
    }

    private static List<Object> releaseInbound(EmbeddedChannel channel) {
        List<Object> all = new ArrayList<>();
        Object m;
        while ((m = channel.readInbound()) != null) {
            all.add(m);
            if (m instanceof HttpContent) {
                ReferenceCountUtil.release(m);
            }
        }
        return all;
    }
}
