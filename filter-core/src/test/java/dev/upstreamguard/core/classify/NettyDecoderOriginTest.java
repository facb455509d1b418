package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a raw IllegalArgumentException / NumberFormatException was thrown decides whether it is the upstream's fault. */
class NettyDecoderOriginTest {

    @ParameterizedTest(name = "{0}.{1} at depth {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "io.netty.handler.codec.http.HttpObjectDecoder|getChunkSize|3|CHUNK_SIZE",
        "io.netty.handler.codec.http.HttpResponseDecoder|createMessage|4|HEAD",
        "io.netty.handler.codec.http.DefaultHttpHeadersFactory$1|validate|0|HEAD",
        "io.netty.handler.codec.http.HttpObjectDecoder|readHeaders|16|ELSEWHERE",
        "com.example.Gateway|route|0|ELSEWHERE",
    })
    void findsTheDecoderNearTheTopOfTheStack(String className, String method, int depth,
                                             NettyDecoderOrigin.Origin expected) {
        assertThat(NettyDecoderOrigin.of(thrownAt(new NumberFormatException("x"), className, method, depth)))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "readHeaders|HTTP_PROTOCOL_ERROR",
        "getChunkSize|HTTP_RESPONSE_TRANSFER_CODING",
    })
    void classifiesDecoderFailuresOnly(String method, ErrorType expected) {
        Throwable fromNetty = thrownAt(new IllegalArgumentException("x"), "io.netty.handler.codec.http.HttpObjectDecoder",
                method, 2);

        assertThat(FailureClassifiers.defaults().classify(fromNetty, Phase.AWAIT_RESPONSE).type()).isEqualTo(expected);
        assertThat(FailureClassifiers.defaults().classify(new IllegalArgumentException("our bug"), Phase.AWAIT_RESPONSE))
                .isNull();
    }

    /** {@code t} with a stack whose frame at {@code depth} is {@code className.method}, the rest JDK frames. */
    private static Throwable thrownAt(Throwable t, String className, String method, int depth) {
        StackTraceElement[] frames = new StackTraceElement[depth + 3];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new StackTraceElement("java.lang.Integer", "parseInt", "Integer.java", 600 + i);
        }
        frames[depth] = new StackTraceElement(className, method, "Decoder.java", 42);
        t.setStackTrace(frames);
        return t;
    }
}
