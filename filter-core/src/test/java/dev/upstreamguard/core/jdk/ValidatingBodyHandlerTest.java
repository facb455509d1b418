package dev.upstreamguard.core.jdk;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The JDK HttpClient with the guard's head validation, against the real misbehaving upstream. */
class ValidatingBodyHandlerTest {
    private static MisbehavingUpstream upstream;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final UpstreamGuard GUARD = UpstreamGuard.builder().logFailures(false).build();

    @BeforeAll
    static void start() {
        upstream = MisbehavingUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static HttpRequest get(Fault fault) {
        return HttpRequest.newBuilder(upstream.uri(fault)).timeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "STATUS_999, HTTP_PROTOCOL_ERROR",
            "DUPLICATE_CONTENT_LENGTH, HTTP_PROTOCOL_ERROR",
            "TRANSFER_ENCODING_WITH_CONTENT_LENGTH, HTTP_PROTOCOL_ERROR",
    })
    void aHeadTheJdkClientAcceptsIsRejectedBeforeTheBodyIsRead(Fault fault, ErrorType expected) {
        IOException thrown = catchThrowableOfType(IOException.class,
                () -> CLIENT.send(get(fault), ValidatingBodyHandler.of(GUARD, HttpResponse.BodyHandlers.ofString())));
        assertThat(thrown).as("%s must fail", fault).isNotNull();
        UpstreamFailureException verdict = findVerdict(thrown);
        assertThat(verdict).as("the verdict travels in the cause chain").isNotNull();
        assertThat(verdict.failure().type()).isEqualTo(expected);
        assertThat(GUARD.classify(thrown, dev.upstreamguard.core.Phase.UNKNOWN).type()).isEqualTo(expected);
    }

    @Test
    void theJdkClientRejectsA101WithoutUpgradeItselfAndItIsStillAProtocolError() {
        IOException thrown = catchThrowableOfType(IOException.class, () -> CLIENT.send(
                get(Fault.SWITCHING_101_WITHOUT_UPGRADE), ValidatingBodyHandler.of(GUARD, HttpResponse.BodyHandlers.ofString())));
        assertThat(thrown).isInstanceOf(java.net.ProtocolException.class);
        assertThat(GUARD.classify(thrown, dev.upstreamguard.core.Phase.UNKNOWN).type()).isEqualTo(ErrorType.HTTP_PROTOCOL_ERROR);
    }

    @Test
    void aValidHeadReachesTheDelegateUntouched() throws Exception {
        HttpResponse<byte[]> r = CLIENT.send(get(Fault.CONTROL_OK),
                ValidatingBodyHandler.of(GUARD, HttpResponse.BodyHandlers.ofByteArray()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(MisbehavingUpstream.controlBodyBytes());
    }

    @Test
    void upstream5xxIsAValidHead() throws Exception {
        HttpResponse<String> r = CLIENT.send(get(Fault.UPSTREAM_503_RETRY_AFTER),
                ValidatingBodyHandler.of(GUARD, HttpResponse.BodyHandlers.ofString()));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).contains("7");
    }

    private static UpstreamFailureException findVerdict(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UpstreamFailureException) {
                return (UpstreamFailureException) c;
            }
        }
        return null;
    }
}
