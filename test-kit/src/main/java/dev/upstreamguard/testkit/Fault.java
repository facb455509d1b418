package dev.upstreamguard.testkit;

import java.util.Locale;

/**
 * One way an upstream can misbehave. {@link MisbehavingUpstream} answers every request whose path
 * starts with {@link #path()} (followed by nothing, {@code /…} or {@code ?…}) with this fault.
 *
 * <p>The exact bytes each fault sends are listed in {@code test-kit/README.md}; {@link #description()}
 * says it in one line.
 */
public enum Fault {
    /** A well-formed 200 with {@link MisbehavingUpstream#CONTROL_BODY}; keeps the connection alive. */
    CONTROL_OK("200 OK with a fixed body, Content-Length and ordinary headers; keep-alive"),
    /** Reads the request, then resets the connection (RST) without sending a byte. */
    RESET_BEFORE_RESPONSE("reads the request, then resets the connection (RST) before any response byte"),
    /** Reads the request, then closes cleanly (FIN) without sending a byte. */
    CLOSE_BEFORE_RESPONSE("reads the request, then closes cleanly (FIN) before any response byte"),
    /** Sends the status line and one header, then closes (FIN). */
    CLOSE_MID_HEAD("sends the status line and one header field, then closes (FIN)"),
    /** Reads the request and sends nothing until the client or {@link MisbehavingUpstream#close()} closes. */
    STALL("reads the request, then sends nothing until the connection is closed"),
    /** Sends the control response's head in ten pieces, one per trickle interval, then its body. */
    SLOW_HEAD("sends the CONTROL_OK head in 10 pieces, one per trickle interval (default 200 ms), then the body"),
    /** Announces {@code Content-Length: 1000}, sends 100 body bytes, then closes (FIN). */
    TRUNCATED_BODY_CONTENT_LENGTH("200 with Content-Length: 1000, sends 100 body bytes, then closes (FIN)"),
    /** A chunked 200 with one 100-byte chunk, then a FIN without the last-chunk. */
    TRUNCATED_BODY_CHUNKED("chunked 200, one 100-byte chunk, then closes (FIN) without the last-chunk"),
    /** Announces {@code Content-Length: 1000}, sends 100 body bytes, then resets (RST). */
    RESET_MID_BODY("200 with Content-Length: 1000, sends 100 body bytes, then resets the connection (RST)"),
    /** A header field whose name contains a space: {@code Bad Header: x}. */
    INVALID_HEADER_NAME("200 with a header field name containing a space: 'Bad Header: x'"),
    /** A header value containing a bare CR. */
    BARE_CR_IN_VALUE("200 with a header value containing a bare CR: 'X-Test: a<CR>b'"),
    /** A bare LF inside a header value that smuggles {@code Set-Cookie: smuggled=1}. */
    BARE_LF_IN_VALUE("200 with a bare LF in a header value that smuggles 'Set-Cookie: smuggled=1'"),
    /** A header value containing a NUL byte. */
    NUL_IN_VALUE("200 with a header value containing a NUL byte: 'X-Test: a<NUL>b'"),
    /** A header value continued on the next line (obs-fold, RFC 9112 §5.2). */
    OBS_FOLD("200 with an obs-folded header value (continuation line starting with SP)"),
    /** One header field with a 64 KiB value. */
    HUGE_HEADER("200 with one header field whose value is 64 KiB"),
    /** 300 header fields of 300 bytes each (about 88 KiB of head). */
    HUGE_HEAD("200 with 300 header fields of 300 bytes each (line length incl. CRLF)"),
    /** A status line whose code is not three digits: {@code HTTP/1.1 2OO OK}. */
    BAD_STATUS_LINE("a status line with letters in the code: 'HTTP/1.1 2OO OK'"),
    /** Raw body bytes with no status line (an HTTP/0.9 style answer), then close. */
    HTTP09("raw body bytes with no status line or headers (HTTP/0.9 style), then closes (FIN)"),
    /** A status code outside 100–599: {@code HTTP/1.1 999 Weird}. */
    STATUS_999("a status line with code 999"),
    /** Two Content-Length fields with different values. */
    DUPLICATE_CONTENT_LENGTH("200 with two differing Content-Length fields (2 and 3)"),
    /** Both {@code Transfer-Encoding: chunked} and {@code Content-Length}, with a valid chunked body. */
    TRANSFER_ENCODING_WITH_CONTENT_LENGTH("200 with Transfer-Encoding: chunked and Content-Length: 100; the chunked body is valid"),
    /** A chunked body whose first chunk size is {@code zz}. */
    BAD_CHUNK_SIZE("chunked 200 whose first chunk size is 'zz'"),
    /** The upstream itself answers 500 (well-formed, keep-alive). */
    UPSTREAM_500("a well-formed 500 with a small body; keep-alive"),
    /** The upstream itself answers 502 (well-formed, keep-alive). */
    UPSTREAM_502("a well-formed 502 with a small body; keep-alive"),
    /** The upstream itself answers 503 with {@code Retry-After: 7} (well-formed, keep-alive). */
    UPSTREAM_503_RETRY_AFTER("a well-formed 503 with Retry-After: 7 and a small body; keep-alive"),
    /** The upstream itself answers 504 (well-formed, keep-alive). */
    UPSTREAM_504("a well-formed 504 with a small body; keep-alive"),
    /** A 103 Early Hints interim response, then the control 200. */
    INTERIM_1XX_THEN_200("103 Early Hints with a Link header, then the CONTROL_OK response; keep-alive"),
    /** A 101 Switching Protocols although the request asked for no upgrade, then close. */
    SWITCHING_101_WITHOUT_UPGRADE("101 Switching Protocols (Upgrade: websocket) to a request that asked no upgrade, then closes"),
    /** Answers the plain-text request with a TLS record (a fatal handshake_failure alert), then close. */
    TLS_ON_PLAIN_PORT("answers with raw TLS record bytes (a fatal handshake_failure alert record), then closes");

    private static final String PATH_PREFIX = "/fault/";

    private final String path;
    private final String description;

    Fault(String description) {
        this.path = PATH_PREFIX + kebabName();
        this.description = description;
    }

    /** The request path that triggers this fault, e.g. {@code /fault/reset-before-response}. */
    public String path() {
        return path;
    }

    /** One line saying what the upstream sends. */
    public String description() {
        return description;
    }

    /** The constant's name in kebab case, e.g. {@code reset-before-response}. */
    String kebabName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Whether a request target (origin-form, possibly with a query) selects this fault: it must start
     * with {@link #path()}, followed by its end, a {@code /} or a {@code ?}.
     */
    boolean matches(String requestTarget) {
        if (!requestTarget.startsWith(path)) {
            return false;
        }
        if (requestTarget.length() == path.length()) {
            return true;
        }
        char next = requestTarget.charAt(path.length());
        return next == '/' || next == '?';
    }
}
