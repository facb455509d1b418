package dev.upstreamguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamguard.testkit.RawClient.End;
import dev.upstreamguard.testkit.RawClient.Received;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every fault, driven by a raw client: the exact bytes it sends and whether it ends with FIN or RST. */
class FaultBytesTest {

    private static final String CONTROL = "HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "Content-Length: 52\r\n"
            + "Cache-Control: no-store\r\n"
            + "X-Upstream: misbehaving-upstream\r\n"
            + "\r\n"
            + "upstream-guard control response: everything is fine\n";
    private static final String HUNDRED = "0123456789".repeat(10);
    private static final String OK_TAIL = "Content-Length: 2\r\n\r\nok";
    private static final String TEXT = "Content-Type: text/plain; charset=us-ascii\r\n";

    private static final Map<Fault, Expected> EXPECTED = new EnumMap<>(Fault.class);

    private record Expected(String bytes, End end) { }

    private static void expect(Fault fault, String bytes, End end) {
        EXPECTED.put(fault, new Expected(bytes, end));
    }

    static {
        expect(Fault.CONTROL_OK, CONTROL, End.FIN);
        expect(Fault.RESET_BEFORE_RESPONSE, "", End.RESET);
        expect(Fault.CLOSE_BEFORE_RESPONSE, "", End.FIN);
        expect(Fault.CLOSE_MID_HEAD, "HTTP/1.1 200 OK\r\n" + TEXT, End.FIN);
        expect(Fault.STALL, "", End.STILL_OPEN);
        expect(Fault.SLOW_HEAD, CONTROL, End.FIN);
        expect(Fault.TRUNCATED_BODY_CONTENT_LENGTH,
                "HTTP/1.1 200 OK\r\n" + TEXT + "Content-Length: 1000\r\n\r\n" + HUNDRED, End.FIN);
        expect(Fault.TRUNCATED_BODY_CHUNKED,
                "HTTP/1.1 200 OK\r\n" + TEXT + "Transfer-Encoding: chunked\r\n\r\n64\r\n" + HUNDRED + "\r\n", End.FIN);
        expect(Fault.RESET_MID_BODY,
                "HTTP/1.1 200 OK\r\n" + TEXT + "Content-Length: 1000\r\n\r\n" + HUNDRED, End.RESET);
        expect(Fault.INVALID_HEADER_NAME, "HTTP/1.1 200 OK\r\nBad Header: x\r\n" + OK_TAIL, End.FIN);
        expect(Fault.BARE_CR_IN_VALUE, "HTTP/1.1 200 OK\r\nX-Test: a\rb\r\n" + OK_TAIL, End.FIN);
        expect(Fault.BARE_LF_IN_VALUE, "HTTP/1.1 200 OK\r\nX-Test: a\nSet-Cookie: smuggled=1\r\n" + OK_TAIL, End.FIN);
        expect(Fault.NUL_IN_VALUE, "HTTP/1.1 200 OK\r\nX-Test: a\0b\r\n" + OK_TAIL, End.FIN);
        expect(Fault.OBS_FOLD, "HTTP/1.1 200 OK\r\nX-Test: first\r\n second\r\n" + OK_TAIL, End.FIN);
        expect(Fault.HUGE_HEADER, "HTTP/1.1 200 OK\r\nX-Huge: " + "a".repeat(65_536) + "\r\n" + OK_TAIL, End.FIN);
        expect(Fault.HUGE_HEAD, "HTTP/1.1 200 OK\r\n" + hugeHeadFields() + OK_TAIL, End.FIN);
        expect(Fault.BAD_STATUS_LINE, "HTTP/1.1 2OO OK\r\n" + OK_TAIL, End.FIN);
        expect(Fault.HTTP09, "<html><body>an HTTP/0.9 answer: no status line, no headers</body></html>\n", End.FIN);
        expect(Fault.STATUS_999, "HTTP/1.1 999 Weird\r\n" + OK_TAIL, End.FIN);
        expect(Fault.DUPLICATE_CONTENT_LENGTH, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", End.FIN);
        expect(Fault.TRANSFER_ENCODING_WITH_CONTENT_LENGTH, "HTTP/1.1 200 OK\r\n"
                + "Transfer-Encoding: chunked\r\nContent-Length: 100\r\n\r\n2\r\nok\r\n0\r\n\r\n", End.FIN);
        expect(Fault.BAD_CHUNK_SIZE, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n", End.FIN);
        expect(Fault.UPSTREAM_500, upstreamError("500 Internal Server Error", ""), End.FIN);
        expect(Fault.UPSTREAM_502, upstreamError("502 Bad Gateway", ""), End.FIN);
        expect(Fault.UPSTREAM_503_RETRY_AFTER, upstreamError("503 Service Unavailable", "Retry-After: 7\r\n"), End.FIN);
        expect(Fault.UPSTREAM_504, upstreamError("504 Gateway Timeout", ""), End.FIN);
        expect(Fault.INTERIM_1XX_THEN_200,
                "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n" + CONTROL, End.FIN);
        expect(Fault.SWITCHING_101_WITHOUT_UPGRADE,
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", End.FIN);
        expect(Fault.TLS_ON_PLAIN_PORT, "\u0015\u0003\u0003\u0000\u0002\u0002\u0028", End.FIN);
    }

    private static MisbehavingUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = MisbehavingUpstream.start(Duration.ofMillis(5));
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void sendsExactlyTheDocumentedBytesAndEnding(Fault fault) throws Exception {
        Expected expected = EXPECTED.get(fault);
        assertThat(expected).as("expectation for %s", fault).isNotNull();

        try (RawClient client = new RawClient(upstream.port())) {
            client.send(RawClient.get(fault.path(), "Connection: close"));
            if (expected.end() == End.STILL_OPEN) {
                client.timeout(300);
            }
            Received received = client.readToEnd();

            assertThat(received.text()).isEqualTo(expected.bytes());
            assertThat(received.end()).isEqualTo(expected.end());
        }
    }

    @Test
    void hugeHeadHasThreeHundredFieldsOfThreeHundredBytes() {
        String[] lines = hugeHeadFields().split("(?<=\r\n)");
        assertThat(lines).hasSize(300).allSatisfy(line -> assertThat(line).hasSize(300));
    }

    @Test
    void controlBodyConstantMatchesTheBytesOnTheWire() throws Exception {
        Received received = RawClient.exchange(upstream.uri(Fault.CONTROL_OK));

        assertThat(received.text()).endsWith("\r\n\r\n" + MisbehavingUpstream.CONTROL_BODY);
        assertThat(MisbehavingUpstream.controlBodyBytes())
                .containsExactly(MisbehavingUpstream.CONTROL_BODY.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static String upstreamError(String status, String extra) {
        String body = "upstream answered " + status + "\n";
        return "HTTP/1.1 " + status + "\r\n" + extra + TEXT + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String hugeHeadFields() {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            String name = "X-Filler-" + (i < 10 ? "00" : i < 100 ? "0" : "") + i + ": ";
            fields.append(name).append("f".repeat(300 - name.length() - 2)).append("\r\n");
        }
        return fields.toString();
    }
}
