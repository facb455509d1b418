package dev.upstreamguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HopByHopTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "Connection, true", "connection, true", "Keep-Alive, true", "KEEP-ALIVE, true",
            "Proxy-Connection, true", "TE, true", "te, true", "Trailer, true", "Transfer-Encoding, true",
            "transfer-encoding, true", "Upgrade, true",
            "Content-Length, false", "Content-Type, false", "Trailers, false", "T, false", "TEE, false",
            "Connections, false", "Proxy-Authenticate, false", "Keep-Alivex, false", "Upgrade-Insecure-Requests, false",
            "Set-Cookie, false", "Transfer-Encodinx, false"})
    void knowsTheFixedHopByHopFields(String name, boolean hopByHop) {
        assertThat(HopByHop.isHopByHop(name)).isEqualTo(hopByHop);
    }

    @Test
    void readsConnectionOptionsFromEveryConnectionField() {
        ResponseHead head = ResponseHead.of(200, "OK",
                "Connection", " Keep-Alive, X-Secret ,, close",
                "X-Other", "ignored",
                "connection", "x-secret, X-Trace-Hop",
                "Connection", "not a token, \"quoted\", ok-token");

        assertThat(HopByHop.connectionOptions(head))
                .containsExactly("keep-alive", "x-secret", "close", "x-trace-hop", "ok-token");
    }

    @Test
    void noConnectionFieldGivesTheEmptySet() {
        Set<String> options = HopByHop.connectionOptions(ResponseHead.of(200, "OK", "X", "y"));

        assertThat(options).isEmpty();
        assertThat(options).isSameAs(Set.of());
    }

    @Test
    void connectionOptionsAreUnmodifiable() {
        Set<String> options = HopByHop.connectionOptions(ResponseHead.of(200, "OK", "Connection", "x-a"));

        assertThat(options).isUnmodifiable();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "Connection, true", "Transfer-Encoding, true", "X-Secret, true", "x-secret, true", "X-SECRET, true",
            "X-Secre, false", "X-Secrets, false", "Content-Type, false"})
    void stripsHopByHopFieldsAndConnectionOptions(String name, boolean strip) {
        assertThat(HopByHop.shouldStrip(name, Set.of("x-secret", "close"))).isEqualTo(strip);
    }

    @Test
    void withoutConnectionOptionsOnlyTheFixedFieldsAreStripped() {
        assertThat(HopByHop.shouldStrip("Upgrade", Set.of())).isTrue();
        assertThat(HopByHop.shouldStrip("X-Secret", Set.of())).isFalse();
    }
}
