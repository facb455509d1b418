package dev.upstreamguard.testkit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.upstreamguard.testkit.ResponseScript.Ending;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The exact bytes and ending of every {@link Fault}, plus the 404 and 400 answers. */
final class FaultScripts {

    static final int SLOW_HEAD_PIECES = 10;
    static final int TRUNCATED_ANNOUNCED_LENGTH = 1000;
    static final int TRUNCATED_SENT_LENGTH = 100;
    static final int HUGE_HEADER_VALUE_LENGTH = 64 * 1024;
    static final int HUGE_HEAD_FIELDS = 300;
    static final int HUGE_HEAD_LINE_LENGTH = 300;

    private static final String OK_LINE = "HTTP/1.1 200 OK\r\n";
    private static final String TEXT_PLAIN = "Content-Type: text/plain; charset=us-ascii\r\n";
    private static final String OK_BODY_HEADERS = "Content-Length: 2\r\n\r\nok";

    private FaultScripts() {
    }

    static ResponseScript forFault(Fault fault, Duration trickleInterval) {
        return switch (fault) {
            case CONTROL_OK -> ResponseScript.of(Ending.KEEP_ALIVE, controlResponse());
            case RESET_BEFORE_RESPONSE -> ResponseScript.of(Ending.RST);
            case CLOSE_BEFORE_RESPONSE -> ResponseScript.of(Ending.FIN);
            case CLOSE_MID_HEAD -> fin(OK_LINE + TEXT_PLAIN);
            case STALL -> ResponseScript.of(Ending.HOLD);
            case SLOW_HEAD -> new ResponseScript(slowHeadPieces(), trickleInterval, Ending.FIN);
            case TRUNCATED_BODY_CONTENT_LENGTH -> fin(truncatedWithContentLength());
            case TRUNCATED_BODY_CHUNKED -> fin(OK_LINE + TEXT_PLAIN + "Transfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(TRUNCATED_SENT_LENGTH) + "\r\n" + bodyPattern(TRUNCATED_SENT_LENGTH) + "\r\n");
            case RESET_MID_BODY -> ResponseScript.of(Ending.RST, ascii(truncatedWithContentLength()));
            case INVALID_HEADER_NAME -> fin(OK_LINE + "Bad Header: x\r\n" + OK_BODY_HEADERS);
            case BARE_CR_IN_VALUE -> fin(OK_LINE + "X-Test: a\rb\r\n" + OK_BODY_HEADERS);
            case BARE_LF_IN_VALUE -> fin(OK_LINE + "X-Test: a\nSet-Cookie: smuggled=1\r\n" + OK_BODY_HEADERS);
            case NUL_IN_VALUE -> fin(OK_LINE + "X-Test: a\0b\r\n" + OK_BODY_HEADERS);
            case OBS_FOLD -> fin(OK_LINE + "X-Test: first\r\n second\r\n" + OK_BODY_HEADERS);
            case HUGE_HEADER -> fin(OK_LINE + "X-Huge: " + "a".repeat(HUGE_HEADER_VALUE_LENGTH) + "\r\n" + OK_BODY_HEADERS);
            case HUGE_HEAD -> fin(OK_LINE + hugeHeadFields() + OK_BODY_HEADERS);
            case BAD_STATUS_LINE -> fin("HTTP/1.1 2OO OK\r\n" + OK_BODY_HEADERS);
            case HTTP09 -> fin("<html><body>an HTTP/0.9 answer: no status line, no headers</body></html>\n");
            case STATUS_999 -> fin("HTTP/1.1 999 Weird\r\n" + OK_BODY_HEADERS);
            case DUPLICATE_CONTENT_LENGTH -> fin(OK_LINE + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nok");
            case TRANSFER_ENCODING_WITH_CONTENT_LENGTH -> fin(OK_LINE
                    + "Transfer-Encoding: chunked\r\nContent-Length: 100\r\n\r\n2\r\nok\r\n0\r\n\r\n");
            case BAD_CHUNK_SIZE -> fin(OK_LINE + "Transfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n");
            case UPSTREAM_500 -> upstreamError("500 Internal Server Error", "");
            case UPSTREAM_502 -> upstreamError("502 Bad Gateway", "");
            case UPSTREAM_503_RETRY_AFTER -> upstreamError("503 Service Unavailable", "Retry-After: 7\r\n");
            case UPSTREAM_504 -> upstreamError("504 Gateway Timeout", "");
            case INTERIM_1XX_THEN_200 -> ResponseScript.of(Ending.KEEP_ALIVE,
                    ascii("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n"),
                    controlResponse());
            case SWITCHING_101_WITHOUT_UPGRADE -> fin("HTTP/1.1 101 Switching Protocols\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
            // a TLS 1.2 record: content type alert (21), version 3.3, length 2, fatal (2) handshake_failure (40)
            case TLS_ON_PLAIN_PORT -> ResponseScript.of(Ending.FIN, new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28});
        };
    }

    static ResponseScript notFound() {
        String body = "no such fault\n";
        return ResponseScript.of(Ending.KEEP_ALIVE, ascii("HTTP/1.1 404 Not Found\r\n" + TEXT_PLAIN
                + "Content-Length: " + body.length() + "\r\n\r\n" + body));
    }

    static ResponseScript badRequest() {
        return fin("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    static String controlHead() {
        return OK_LINE + TEXT_PLAIN
                + "Content-Length: " + MisbehavingUpstream.CONTROL_BODY.length() + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "X-Upstream: misbehaving-upstream\r\n"
                + "\r\n";
    }

    static byte[] controlResponse() {
        return ascii(controlHead() + MisbehavingUpstream.CONTROL_BODY);
    }

    /** {@code length} bytes of {@code 0123456789} repeated: easy to recognise in a truncated body. */
    static String bodyPattern(int length) {
        return "0123456789".repeat(length / 10 + 1).substring(0, length);
    }

    static String hugeHeadFields() {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < HUGE_HEAD_FIELDS; i++) {
            String prefix = String.format("X-Filler-%03d: ", i);
            fields.append(prefix).append("f".repeat(HUGE_HEAD_LINE_LENGTH - prefix.length() - 2)).append("\r\n");
        }
        return fields.toString();
    }

    static byte[] ascii(String text) {
        return text.getBytes(ISO_8859_1);
    }

    private static String truncatedWithContentLength() {
        return OK_LINE + TEXT_PLAIN + "Content-Length: " + TRUNCATED_ANNOUNCED_LENGTH + "\r\n\r\n"
                + bodyPattern(TRUNCATED_SENT_LENGTH);
    }

    private static ResponseScript upstreamError(String status, String extraFields) {
        String body = "upstream answered " + status + "\n";
        return ResponseScript.of(Ending.KEEP_ALIVE, ascii("HTTP/1.1 " + status + "\r\n" + extraFields + TEXT_PLAIN
                + "Content-Length: " + body.length() + "\r\n\r\n" + body));
    }

    /** The control head cut into {@link #SLOW_HEAD_PIECES} pieces; the body travels with the last. */
    private static List<byte[]> slowHeadPieces() {
        byte[] head = ascii(controlHead());
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 0; i < SLOW_HEAD_PIECES; i++) {
            int from = i * head.length / SLOW_HEAD_PIECES;
            int to = (i + 1) * head.length / SLOW_HEAD_PIECES;
            ByteArrayOutputStream piece = new ByteArrayOutputStream();
            piece.write(head, from, to - from);
            if (to == head.length) {
                piece.writeBytes(ascii(MisbehavingUpstream.CONTROL_BODY));
            }
            pieces.add(piece.toByteArray());
        }
        return pieces;
    }

    private static ResponseScript fin(String response) {
        return ResponseScript.of(Ending.FIN, ascii(response));
    }
}
