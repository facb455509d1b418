package dev.upstreamguard.core.validate;

import dev.upstreamguard.core.HeadRepair;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.policy.ContentLengthWithTransferEncoding;
import dev.upstreamguard.core.policy.ObsFoldHandling;
import dev.upstreamguard.core.policy.ValidationPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResponseHeadValidatorTest {

    private static final ValidationPolicy STRICT = ValidationPolicy.defaults();
    private static final ValidationPolicy FOLDS_REPLACED = new ValidationPolicy(8192, 32768, 256,
            ObsFoldHandling.REPLACE_WITH_SPACE, ContentLengthWithTransferEncoding.REJECT);
    private static final ValidationPolicy CONTENT_LENGTH_DROPPED = new ValidationPolicy(8192, 32768, 256,
            ObsFoldHandling.REJECT, ContentLengthWithTransferEncoding.DROP_CONTENT_LENGTH);
    private static final ValidationPolicy LENIENT = new ValidationPolicy(8192, 32768, 256,
            ObsFoldHandling.REPLACE_WITH_SPACE, ContentLengthWithTransferEncoding.DROP_CONTENT_LENGTH);
    private static final ValidationPolicy SMALL = new ValidationPolicy(64, 128, 4,
            ObsFoldHandling.REJECT, ContentLengthWithTransferEncoding.REJECT);
    private static final ValidationContext UPGRADE = new ValidationContext(true, false);
    private static final ValidationContext HEAD = new ValidationContext(false, true);

    /** A typical response head of a proxied API call: 12 fields. */
    static final ResponseHead TYPICAL = ResponseHead.of(200, "OK",
            "Date", "Tue, 25 Nov 2026 10:15:42 GMT",
            "Content-Type", "application/json; charset=utf-8",
            "Content-Length", "1432",
            "Connection", "keep-alive",
            "Cache-Control", "private, max-age=0, no-cache",
            "ETag", "W/\"598-n2k3vbl8sXkq1cXHxTjZ2w\"",
            "Vary", "Accept-Encoding, Origin",
            "X-Request-Id", "7f3c2a9e-5b1d-4c8e-9a21-0d6e4f8b3c17",
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains",
            "X-Content-Type-Options", "nosniff",
            "Set-Cookie", "session=abc123; Path=/; HttpOnly; Secure; SameSite=Lax",
            "Server", "upstream/1.4");

    // ---------------------------------------------------------------- violations

    static Stream<Violation> violations() {
        String big = "x".repeat(55);
        return Stream.of(
                // status line
                protocol("status 99", head(99), "status code out of range (RFC 9110 section 15)"),
                protocol("status 600", head(600), "status code out of range (RFC 9110 section 15)"),
                protocol("status 0", head(0), "status code out of range (RFC 9110 section 15)"),
                protocol("status -200", head(-200), "status code out of range (RFC 9110 section 15)"),
                protocol("status 100 as final", head(100), "interim status as final response (RFC 9110 section 15.2)"),
                protocol("status 103 as final", head(103), "interim status as final response (RFC 9110 section 15.2)"),
                protocol("status 199 as final", head(199), "interim status as final response (RFC 9110 section 15.2)"),
                protocol("status 100 as final after an upgrade request", head(100),
                        "interim status as final response (RFC 9110 section 15.2)").in(UPGRADE),
                protocol("101 without an upgrade request", head(101),
                        "101 Switching Protocols without a requested upgrade (RFC 9110 section 15.2.2)"),
                protocol("101 with Upgrade but without an upgrade request", head(101, "Upgrade", "websocket"),
                        "101 Switching Protocols without a requested upgrade (RFC 9110 section 15.2.2)"),
                protocol("101 without an Upgrade field", head(101, "Connection", "Upgrade"),
                        "101 Switching Protocols without Upgrade (RFC 9110 section 15.2.2)").in(UPGRADE),
                protocol("101 with an empty Upgrade field", head(101, "Upgrade", " , ", "Connection", "Upgrade"),
                        "101 Switching Protocols without Upgrade (RFC 9110 section 15.2.2)").in(UPGRADE),
                protocol("LF in reason", ResponseHead.of(200, "OK\nSet-Cookie: a=b"),
                        "invalid character in reason phrase (RFC 9112 section 4)"),
                protocol("CR in reason", ResponseHead.of(200, "O\rK"),
                        "invalid character in reason phrase (RFC 9112 section 4)"),
                protocol("NUL in reason", ResponseHead.of(200, "O\0K"),
                        "invalid character in reason phrase (RFC 9112 section 4)"),
                protocol("DEL in reason", ResponseHead.of(200, "O\u007FK"),
                        "invalid character in reason phrase (RFC 9112 section 4)"),
                // field names
                protocol("empty name", head(200, "", "x"), "invalid header field name (RFC 9110 section 5.1)"),
                protocol("space in name", head(200, "Bad Header", "x"), "invalid header field name (RFC 9110 section 5.1)"),
                protocol("space before colon", head(200, "Server ", "x"), "invalid header field name (RFC 9110 section 5.1)"),
                protocol("colon in name", head(200, "a:b", "x"), "invalid header field name (RFC 9110 section 5.1)"),
                protocol("quote in name", head(200, "a\"b", "x"), "invalid header field name (RFC 9110 section 5.1)"),
                protocol("parenthesis in name", head(200, "(a)", "x"), "invalid header field name (RFC 9110 section 5.1)"),
                protocol("obs-text in name", head(200, "X-\u00DC", "x"), "invalid header field name (RFC 9110 section 5.1)"),
                protocol("LF in name", head(200, "X\nY", "x"), "invalid header field name (RFC 9110 section 5.1)"),
                protocol("NUL in name", head(200, "X\0", "x"), "invalid header field name (RFC 9110 section 5.1)"),
                // field values
                protocol("bare CR inside", head(200, "X", "a\rb"), "bare CR in header value (RFC 9112 section 2.2)"),
                protocol("bare CR at end", head(200, "X", "a\r"), "bare CR in header value (RFC 9112 section 2.2)"),
                protocol("bare LF inside", head(200, "X", "a\nb"), "bare LF in header value (RFC 9112 section 2.2)"),
                protocol("bare LF smuggling Set-Cookie", head(200, "X", "a\nSet-Cookie: s=1"),
                        "bare LF in header value (RFC 9112 section 2.2)"),
                protocol("bare LF at end", head(200, "X", "a\n"), "bare LF in header value (RFC 9112 section 2.2)"),
                protocol("CRLF inside", head(200, "X", "a\r\nb: c"), "CRLF in header value (RFC 9110 section 5.5)"),
                protocol("CRLF at end", head(200, "X", "a\r\n"), "CRLF in header value (RFC 9110 section 5.5)"),
                protocol("NUL", head(200, "X", "a\0b"), "NUL in header value (RFC 9110 section 5.5)"),
                protocol("SOH", head(200, "X", "a\u0001b"), "control character in header value (RFC 9110 section 5.5)"),
                protocol("VT", head(200, "X", "\u000Bb"), "control character in header value (RFC 9110 section 5.5)"),
                protocol("ESC", head(200, "X", "a\u001B"), "control character in header value (RFC 9110 section 5.5)"),
                protocol("DEL", head(200, "X", "a\u007Fb"), "control character in header value (RFC 9110 section 5.5)"),
                protocol("obs-fold CRLF SP", head(200, "X", "a\r\n b"), "obs-fold in header value (RFC 9112 section 5.2)"),
                protocol("obs-fold CRLF HTAB", head(200, "X", "a\r\n\tb"), "obs-fold in header value (RFC 9112 section 5.2)"),
                protocol("obs-fold LF SP", head(200, "X", "a\n b"), "obs-fold in header value (RFC 9112 section 5.2)"),
                protocol("obs-fold in Content-Length when folds are replaced", head(200, "Content-Length", "5\r\n "),
                        "obs-fold in Content-Length or Transfer-Encoding (RFC 9112 section 5.2)").with(FOLDS_REPLACED),
                protocol("obs-fold in Transfer-Encoding when folds are replaced",
                        head(200, "Transfer-Encoding", "gzip,\r\n chunked"),
                        "obs-fold in Content-Length or Transfer-Encoding (RFC 9112 section 5.2)").with(FOLDS_REPLACED),
                protocol("bare LF after an accepted fold", head(200, "X", "a\r\n b\nc"),
                        "bare LF in header value (RFC 9112 section 2.2)").with(FOLDS_REPLACED),
                // Content-Length
                protocol("Content-Length letters", head(200, "Content-Length", "abc"),
                        "Content-Length is not a number (RFC 9110 section 8.6)"),
                protocol("Content-Length empty", head(200, "Content-Length", ""),
                        "Content-Length is not a number (RFC 9110 section 8.6)"),
                protocol("Content-Length plus sign", head(200, "Content-Length", "+5"),
                        "Content-Length is not a number (RFC 9110 section 8.6)"),
                protocol("Content-Length hex", head(200, "Content-Length", "0x10"),
                        "Content-Length is not a number (RFC 9110 section 8.6)"),
                protocol("Content-Length with a suffix", head(200, "Content-Length", "5a"),
                        "Content-Length is not a number (RFC 9110 section 8.6)"),
                protocol("Content-Length two numbers", head(200, "Content-Length", "5 5"),
                        "Content-Length is not a number (RFC 9110 section 8.6)"),
                protocol("Content-Length leading comma", head(200, "Content-Length", ", 5"),
                        "Content-Length is not a number (RFC 9110 section 8.6)"),
                protocol("Content-Length trailing comma", head(200, "Content-Length", "5,"),
                        "Content-Length is not a number (RFC 9110 section 8.6)"),
                protocol("Content-Length lone minus", head(200, "Content-Length", "-"),
                        "Content-Length is not a number (RFC 9110 section 8.6)"),
                protocol("Content-Length negative", head(200, "Content-Length", "-5"),
                        "negative Content-Length (RFC 9110 section 8.6)"),
                protocol("Content-Length 19 digits", head(200, "Content-Length", "1234567890123456789"),
                        "Content-Length longer than 18 digits (RFC 9110 section 8.6)"),
                protocol("Content-Length 19 digits after leading zeros",
                        head(200, "Content-Length", "0000000001234567890123456789"),
                        "Content-Length longer than 18 digits (RFC 9110 section 8.6)"),
                protocol("Content-Length far over a long", head(200, "Content-Length", "99999999999999999999999999"),
                        "Content-Length longer than 18 digits (RFC 9110 section 8.6)"),
                protocol("Content-Length list with an overflowing element", head(200, "Content-Length", "5, 00099999999999999999999"),
                        "Content-Length longer than 18 digits (RFC 9110 section 8.6)"),
                // framing fields a 1xx or 204 must not carry (RFC 9110 section 8.6, RFC 9112 section 6.1)
                protocol("204 with Content-Length 5", head(204, "Content-Length", "5"),
                        "Content-Length in a 1xx or 204 response (RFC 9110 section 8.6)"),
                protocol("204 with Content-Length 5 on HEAD", head(204, "Content-Length", "5"),
                        "Content-Length in a 1xx or 204 response (RFC 9110 section 8.6)").in(HEAD),
                protocol("204 with an invalid Content-Length names the syntax first", head(204, "Content-Length", "x"),
                        "Content-Length is not a number (RFC 9110 section 8.6)"),
                protocol("204 with Transfer-Encoding chunked", head(204, "Transfer-Encoding", "chunked"),
                        "Transfer-Encoding in a 1xx or 204 response (RFC 9112 section 6.1)"),
                protocol("204 with an unknown coding", head(204, "Transfer-Encoding", "br"),
                        "Transfer-Encoding in a 1xx or 204 response (RFC 9112 section 6.1)"),
                protocol("204 with Transfer-Encoding on HEAD", head(204, "Transfer-Encoding", "chunked"),
                        "Transfer-Encoding in a 1xx or 204 response (RFC 9112 section 6.1)").in(HEAD),
                protocol("101 with Transfer-Encoding", head(101, "Upgrade", "websocket", "Transfer-Encoding", "chunked"),
                        "Transfer-Encoding in a 1xx or 204 response (RFC 9112 section 6.1)").in(UPGRADE),
                protocol("101 with Content-Length 3", head(101, "Upgrade", "websocket", "Content-Length", "3"),
                        "Content-Length in a 1xx or 204 response (RFC 9110 section 8.6)").in(UPGRADE),
                protocol("Content-Length list differs", head(200, "Content-Length", "5, 6"),
                        "Content-Length list with differing values (RFC 9110 section 8.6)"),
                protocol("Content-Length fields differ", head(200, "Content-Length", "5", "content-length", "6"),
                        "differing Content-Length fields (RFC 9110 section 8.6)"),
                protocol("Content-Length list and field differ", head(200, "Content-Length", "5, 5", "Content-Length", "6"),
                        "differing Content-Length fields (RFC 9110 section 8.6)"),
                // Transfer-Encoding
                protocol("Transfer-Encoding then Content-Length", head(200, "Transfer-Encoding", "chunked", "Content-Length", "5"),
                        "Transfer-Encoding with Content-Length (RFC 9112 section 6.3)"),
                protocol("Content-Length then Transfer-Encoding", head(200, "content-length", "5", "TRANSFER-ENCODING", "chunked"),
                        "Transfer-Encoding with Content-Length (RFC 9112 section 6.3)"),
                protocol("Transfer-Encoding with Content-Length on HEAD", head(200, "Transfer-Encoding", "chunked", "Content-Length", "5"),
                        "Transfer-Encoding with Content-Length (RFC 9112 section 6.3)").in(HEAD),
                protocol("invalid Content-Length is rejected even when it would be dropped",
                        head(200, "Transfer-Encoding", "chunked", "Content-Length", "abc"),
                        "Content-Length is not a number (RFC 9110 section 8.6)").with(CONTENT_LENGTH_DROPPED),
                protocol("Transfer-Encoding two tokens", head(200, "Transfer-Encoding", "gzip chunked"),
                        "invalid Transfer-Encoding syntax (RFC 9112 section 6.1)"),
                protocol("Transfer-Encoding quoted", head(200, "Transfer-Encoding", "\"chunked\""),
                        "invalid Transfer-Encoding syntax (RFC 9112 section 6.1)"),
                protocol("Transfer-Encoding empty parameter", head(200, "Transfer-Encoding", "chunked;"),
                        "invalid Transfer-Encoding syntax (RFC 9112 section 6.1)"),
                protocol("Transfer-Encoding parameter without value", head(200, "Transfer-Encoding", "gzip;q"),
                        "invalid Transfer-Encoding syntax (RFC 9112 section 6.1)"),
                protocol("Transfer-Encoding parameter with empty value", head(200, "Transfer-Encoding", "gzip;q="),
                        "invalid Transfer-Encoding syntax (RFC 9112 section 6.1)"),
                protocol("Transfer-Encoding unterminated quoted parameter", head(200, "Transfer-Encoding", "gzip;a=\"x"),
                        "invalid Transfer-Encoding syntax (RFC 9112 section 6.1)"),
                protocol("Transfer-Encoding syntax checked on HEAD too", head(200, "Transfer-Encoding", "gzip chunked"),
                        "invalid Transfer-Encoding syntax (RFC 9112 section 6.1)").in(HEAD),
                protocol("Transfer-Encoding empty", head(200, "Transfer-Encoding", ""),
                        "Transfer-Encoding without a coding (RFC 9112 section 6.1)"),
                protocol("Transfer-Encoding only commas", head(200, "Transfer-Encoding", " , ,"),
                        "Transfer-Encoding without a coding (RFC 9112 section 6.1)"),
                failure("unknown coding br", head(200, "Transfer-Encoding", "br"), ErrorType.HTTP_RESPONSE_TRANSFER_CODING,
                        "unknown transfer coding (RFC 9112 section 7)", "coding", "br"),
                failure("unknown coding lower-cased", head(200, "Transfer-Encoding", "identity, ZSTD;level=3, chunked"),
                        ErrorType.HTTP_RESPONSE_TRANSFER_CODING, "unknown transfer coding (RFC 9112 section 7)",
                        "coding", "zstd"),
                failure("trailers is not a coding", head(200, "Transfer-Encoding", "trailers"),
                        ErrorType.HTTP_RESPONSE_TRANSFER_CODING, "unknown transfer coding (RFC 9112 section 7)",
                        "coding", "trailers"),
                // codings no adapter decodes must not be relayed as if the body were identity (RFC 9112 section 6.1)
                notDecoded("gzip alone", "gzip", "gzip"),
                notDecoded("gzip then chunked", "gzip, chunked", "gzip"),
                notDecoded("chunked then gzip", "chunked, gzip", "gzip"),
                notDecoded("x-gzip then chunked", "x-gzip, chunked", "x-gzip"),
                notDecoded("deflate then chunked", "deflate, chunked", "deflate"),
                notDecoded("compress alone", "Compress", "compress"),
                notDecoded("x-compress then chunked", "x-compress;a=1, chunked", "x-compress"),
                notDecoded("gzip after identity", "identity, gzip, chunked", "gzip"),
                failure("gzip in a second field", head(200, "Transfer-Encoding", "identity", "Transfer-Encoding", "gzip, chunked"),
                        ErrorType.HTTP_RESPONSE_TRANSFER_CODING,
                        "transfer coding this proxy does not decode (RFC 9112 section 6.1)", "coding", "gzip"),
                failure("identity after chunked", head(200, "Transfer-Encoding", "chunked, identity"),
                        ErrorType.HTTP_RESPONSE_TRANSFER_CODING,
                        "chunked not the final transfer coding (RFC 9112 section 6.1)", "coding", "identity"),
                failure("identity in a field after chunked", head(200, "Transfer-Encoding", "chunked", "Transfer-Encoding", "identity"),
                        ErrorType.HTTP_RESPONSE_TRANSFER_CODING,
                        "chunked not the final transfer coding (RFC 9112 section 6.1)", "coding", "identity"),
                failure("chunked twice in a list", head(200, "Transfer-Encoding", "chunked, Chunked"),
                        ErrorType.HTTP_RESPONSE_TRANSFER_CODING, "chunked applied more than once (RFC 9112 section 6.1)",
                        "coding", "chunked"),
                failure("chunked twice in two fields", head(200, "Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked"),
                        ErrorType.HTTP_RESPONSE_TRANSFER_CODING, "chunked applied more than once (RFC 9112 section 6.1)",
                        "coding", "chunked"),
                // sizes (SMALL: 64 per field line, 128 per section, 4 fields)
                failure("field line one byte over", head(200, "X-Big", "x".repeat(56)),
                        ErrorType.HTTP_RESPONSE_HEADER_SIZE, "header field over the size limit (RFC 9110 section 5.4)",
                        "header-name", "X-Big", "header-size", 65).with(SMALL),
                failure("field line size counts UTF-8 bytes above U+00FF", head(200, "X-Big", "\u20AC".repeat(19)),
                        ErrorType.HTTP_RESPONSE_HEADER_SIZE, "header field over the size limit (RFC 9110 section 5.4)",
                        "header-name", "X-Big", "header-size", 66).with(SMALL),
                failure("field line size counts a surrogate pair as 4 bytes", head(200, "X-Big", "\uD83D\uDE00".repeat(14)),
                        ErrorType.HTTP_RESPONSE_HEADER_SIZE, "header field over the size limit (RFC 9110 section 5.4)",
                        "header-name", "X-Big", "header-size", 65).with(SMALL),
                // status line 21 + final CRLF 2 + 62 + 41 = 126; the third field's 11 make 137; the fourth adds 11
                failure("section over the limit reports the whole section",
                        head(200, "X-A", big, "X-B", "y".repeat(34), "X-C", "zzzz", "X-D", "wwww"),
                        ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE,
                        "header section over the size limit (RFC 9110 section 5.4)", "header-section-size", 148).with(SMALL),
                failure("status line alone over the section limit", ResponseHead.of(200, "O".repeat(120), "X", "y")
                                , ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE,
                        "header section over the size limit (RFC 9110 section 5.4)", "header-section-size", 143).with(SMALL),
                failure("one field too many", head(200, "A", "1", "B", "2", "C", "3", "D", "4", "E", "5"),
                        ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE,
                        "5 header fields, over the limit of 4 (RFC 9110 section 5.4)").with(SMALL),
                // order: the first violation in field order wins
                protocol("bare LF before an invalid name", head(200, "X", "a\nb", "Bad Name", "x"),
                        "bare LF in header value (RFC 9112 section 2.2)"),
                protocol("invalid name before NUL", head(200, "Bad Name", "x", "X", "\0"),
                        "invalid header field name (RFC 9110 section 5.1)"),
                protocol("name checked before size", head(200, "Bad Name", "x".repeat(100)),
                        "invalid header field name (RFC 9110 section 5.1)").with(SMALL),
                protocol("value checked before size", head(200, "X", "\0".repeat(100)),
                        "NUL in header value (RFC 9110 section 5.5)").with(SMALL),
                failure("size before Content-Length syntax", head(200, "Content-Length", "x".repeat(60)),
                        ErrorType.HTTP_RESPONSE_HEADER_SIZE, "header field over the size limit (RFC 9110 section 5.4)",
                        "header-name", "Content-Length", "header-size", 78).with(SMALL),
                protocol("earlier field violation before the count limit",
                        head(200, "A", "\0", "B", "2", "C", "3", "D", "4", "E", "5"),
                        "NUL in header value (RFC 9110 section 5.5)").with(SMALL),
                protocol("status before anything else", ResponseHead.of(600, "\0", "Bad Name", "x"),
                        "status code out of range (RFC 9110 section 15)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void rejectsTheFirstViolation(Violation row) {
        ValidationResult result = new ResponseHeadValidator(row.policy).validate(row.head, row.context);

        assertThat(result.ok()).isFalse();
        assertThat(result.repairs()).isEmpty();
        UpstreamFailure failure = result.failure();
        assertThat(failure.type()).isEqualTo(row.type);
        assertThat(failure.phase()).isEqualTo(Phase.READ_HEAD);
        assertThat(failure.details()).isEqualTo(row.details);
        assertThat(new ArrayList<>(failure.parameters().entrySet()))
                .containsExactlyElementsOf(row.parameters.entrySet());
        assertThat(failure.parameters().keySet()).isSubsetOf(row.type.extraParameters());
        assertThat(failure.cause()).isNull();
    }

    // ---------------------------------------------------------------- accepted as received

    static Stream<Valid> validHeads() {
        return Stream.of(
                valid("typical 12-field head", TYPICAL),
                valid("no fields", head(204)),
                valid("204 with Content-Length 0", head(204, "Content-Length", "0")),
                valid("204 with Content-Length 0 with leading zeros", head(204, "Content-Length", "000")),
                valid("304 with Content-Length (RFC 9110 section 8.6)", head(304, "Content-Length", "1432")),
                valid("304 with Transfer-Encoding (RFC 9112 section 6.1)", head(304, "Transfer-Encoding", "chunked")),
                valid("status 101 with Upgrade and Content-Length 0", head(101, "Upgrade", "websocket",
                        "Connection", "Upgrade", "Content-Length", "0")).in(UPGRADE),
                valid("status 101 with a lower-case upgrade field", head(101, "upgrade", "h2c")).in(UPGRADE),
                valid("no reason phrase (HTTP/2)", ResponseHead.of(200, null, "X", "y")),
                valid("empty reason phrase", ResponseHead.of(200, "", "X", "y")),
                valid("reason phrase with HTAB and obs-text", ResponseHead.of(200, "\u00C7a\tva \u00FF")),
                valid("reason phrase above U+00FF", ResponseHead.of(200, "\u00E7a va \u20AC")),
                valid("status 200", head(200)),
                valid("status 599", head(599)),
                valid("status 101 after an upgrade request", head(101, "Upgrade", "websocket", "Connection", "Upgrade"))
                        .in(UPGRADE),
                valid("status 200 after an upgrade request", head(200)).in(UPGRADE),
                valid("every tchar in a name", head(200, "!#$%&'*+-.^_`|~09azAZ", "x")),
                valid("HTAB, SP and obs-text in a value", head(200, "X", "a\tb c \u0080\u00FF")),
                valid("characters above U+00FF in a value", head(200, "X", "\u20AC \uD83D\uDE00")),
                valid("empty value", head(200, "X", "")),
                valid("surrounding whitespace a parser kept", head(200, "X", " a ")),
                valid("Content-Length 0", head(200, "Content-Length", "0")),
                valid("Content-Length with leading zeros", head(200, "Content-Length", "007")),
                valid("Content-Length of 18 digits", head(200, "Content-Length", "999999999999999999")),
                valid("Content-Length with many leading zeros", head(200, "Content-Length", "0000000000000000000042")),
                valid("Content-Length 18 digits after leading zeros",
                        head(200, "Content-Length", "000000000999999999999999999")),
                valid("Content-Length 0 of many zeros", head(200, "Content-Length", "0000000000000000000000000")),
                valid("Content-Length with surrounding whitespace", head(200, "Content-Length", " 5\t")),
                valid("Transfer-Encoding chunked", head(200, "Transfer-Encoding", "chunked")),
                valid("Transfer-Encoding identity then chunked", head(200, "Transfer-Encoding", "IDENTITY, Chunked")),
                valid("Transfer-Encoding over two fields", head(200, "Transfer-Encoding", "identity", "transfer-encoding", "chunked")),
                valid("Transfer-Encoding identity alone (read until close)", head(200, "Transfer-Encoding", "identity")),
                valid("empty list elements", head(200, "Transfer-Encoding", " , identity ,, chunked , ")),
                valid("coding parameters", head(200, "Transfer-Encoding", "identity ; a=1 ;b = \"x,\\\"y\" , chunked")),
                valid("gzip on HEAD", head(200, "Transfer-Encoding", "gzip")).in(HEAD),
                valid("gzip then chunked on 304", head(304, "Transfer-Encoding", "gzip, chunked")),
                valid("unknown coding on HEAD", head(200, "Transfer-Encoding", "br")).in(HEAD),
                valid("unknown coding on 304", head(304, "Transfer-Encoding", "br")),
                valid("chunked twice on 304", head(304, "Transfer-Encoding", "chunked, chunked")),
                valid("non-framing names of the same lengths", head(200, "Content-Lengtx", "x", "Transfer-Encodinx", "y")),
                valid("field line exactly at the limit", head(200, "X-Big", "x".repeat(55))).with(SMALL),
                // status line 21 + final CRLF 2 + 64 + 41 = 128
                valid("section exactly at the limit", head(200, "X-A", "x".repeat(57), "X-B", "y".repeat(34))).with(SMALL),
                valid("fields exactly at the count limit", head(200, "A", "1", "B", "2", "C", "3", "D", "4")).with(SMALL),
                valid("lenient policy, nothing to repair", TYPICAL).with(LENIENT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validHeads")
    void acceptsValidHeadsWithTheSharedOk(Valid row) {
        ValidationResult result = new ResponseHeadValidator(row.policy).validate(row.head, row.context);

        assertThat(result).isSameAs(ValidationResult.OK);
        assertThat(result.ok()).isTrue();
        assertThat(result.failure()).isNull();
        assertThat(result.repairs()).isEmpty();
    }

    // ---------------------------------------------------------------- repairs

    static Stream<Repaired> repairs() {
        String fold = HeadRepair.RULE_OBS_FOLD;
        String drop = HeadRepair.RULE_CONTENT_LENGTH_WITH_TRANSFER_ENCODING;
        String duplicate = HeadRepair.RULE_DUPLICATE_CONTENT_LENGTH;
        return Stream.of(
                repaired("CRLF SP fold", FOLDS_REPLACED, head(200, "A", "1", "X", "a\r\n b"),
                        new HeadRepair(1, "a b", fold)),
                repaired("fold with whitespace around it", FOLDS_REPLACED, head(200, "X", "a \t\r\n\t  b"),
                        new HeadRepair(0, "a b", fold)),
                repaired("LF fold and CRLF fold", FOLDS_REPLACED, head(200, "X", "a\n b\r\n\tc"),
                        new HeadRepair(0, "a b c", fold)),
                repaired("fold at the start", FOLDS_REPLACED, head(200, "X", "\r\n a"), new HeadRepair(0, "a", fold)),
                repaired("fold at the end", FOLDS_REPLACED, head(200, "X", "a\r\n "), new HeadRepair(0, "a", fold)),
                repaired("a value that is only a fold", FOLDS_REPLACED, head(200, "X", "\r\n\t"), new HeadRepair(0, "", fold)),
                repaired("two folded fields", FOLDS_REPLACED, head(200, "X", "a\r\n b", "Y", "ok", "Z", "c\n d"),
                        new HeadRepair(0, "a b", fold), new HeadRepair(2, "c d", fold)),
                repaired("Content-Length dropped after Transfer-Encoding", CONTENT_LENGTH_DROPPED,
                        head(200, "Transfer-Encoding", "chunked", "Content-Length", "5"), HeadRepair.drop(1, drop)),
                repaired("every Content-Length dropped around Transfer-Encoding", CONTENT_LENGTH_DROPPED,
                        head(200, "Content-Length", "5", "Transfer-Encoding", "chunked", "content-length", "5, 5"),
                        HeadRepair.drop(0, drop), HeadRepair.drop(2, drop)),
                repaired("folds and drops in field order", LENIENT,
                        head(200, "Content-Length", "5", "X", "a\r\n b", "Transfer-Encoding", "chunked"),
                        HeadRepair.drop(0, drop), new HeadRepair(1, "a b", fold)),
                repaired("identical Content-Length fields collapse", STRICT,
                        head(200, "Content-Length", "5", "X", "y", "Content-Length", "5"), HeadRepair.drop(2, duplicate)),
                repaired("identical Content-Length list collapses", STRICT,
                        head(200, "Content-Length", "5, 5,5"), new HeadRepair(0, "5", duplicate)),
                repaired("identical values with leading zeros collapse to the number", STRICT,
                        head(200, "Content-Length", "05, 5"), new HeadRepair(0, "5", duplicate)),
                repaired("a list with many leading zeros collapses to the number", STRICT,
                        head(200, "Content-Length", "0000000000000000000042, 42"), new HeadRepair(0, "42", duplicate)),
                repaired("list and field collapse", STRICT,
                        head(200, "Content-Length", "7, 7", "Content-Length", "7"),
                        new HeadRepair(0, "7", duplicate), HeadRepair.drop(1, duplicate)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repairs")
    void lenientPoliciesRepair(Repaired row) {
        ValidationResult result = new ResponseHeadValidator(row.policy).validate(row.head, ValidationContext.DEFAULT);

        assertThat(result.ok()).isTrue();
        assertThat(result.failure()).isNull();
        assertThat(result.repairs()).containsExactlyElementsOf(row.repairs);
    }

    @Test
    void repairsAreUnmodifiable() {
        ValidationResult result = new ResponseHeadValidator(FOLDS_REPLACED).validate(head(200, "X", "a\r\n b"),
                ValidationContext.DEFAULT);

        assertThat(result.repairs()).isUnmodifiable();
    }

    // ---------------------------------------------------------------- extra rules

    @Test
    void extraRulesRunInOrderAfterTheBuiltInRulesAndTheFirstFailureWins() {
        List<String> calls = new ArrayList<>();
        UpstreamFailure denied = UpstreamFailure.of(ErrorType.HTTP_PROTOCOL_ERROR, Phase.READ_HEAD).withDetails("ours");
        ValidationRule passes = (head, context) -> {
            calls.add("passes");
            return null;
        };
        ValidationRule fails = (head, context) -> {
            calls.add("fails");
            return denied;
        };
        ValidationRule never = (head, context) -> {
            calls.add("never");
            return null;
        };
        ResponseHeadValidator validator = new ResponseHeadValidator(STRICT, List.of(passes, fails, never));

        ValidationResult result = validator.validate(TYPICAL, ValidationContext.DEFAULT);

        assertThat(result.failure()).isSameAs(denied);
        assertThat(calls).containsExactly("passes", "fails");
    }

    @Test
    void extraRulesAreSkippedWhenABuiltInRuleFails() {
        AtomicInteger calls = new AtomicInteger();
        ResponseHeadValidator validator = new ResponseHeadValidator(STRICT, List.of((head, context) -> {
            calls.incrementAndGet();
            return null;
        }));

        ValidationResult result = validator.validate(head(200, "X", "\0"), ValidationContext.DEFAULT);

        assertThat(result.ok()).isFalse();
        assertThat(calls).hasValue(0);
    }

    @Test
    void extraRulesSeeTheContext() {
        List<ValidationContext> seen = new ArrayList<>();
        ResponseHeadValidator validator = new ResponseHeadValidator(STRICT, List.of((head, context) -> {
            seen.add(context);
            return null;
        }));

        assertThat(validator.validate(TYPICAL, HEAD)).isSameAs(ValidationResult.OK);
        assertThat(seen).containsExactly(HEAD);
    }

    @Test
    void nullArgumentsAreRejected() {
        ResponseHeadValidator validator = new ResponseHeadValidator(STRICT);

        assertThatNullPointerException().isThrownBy(() -> validator.validate(TYPICAL, null)).withMessage("context");
        assertThatNullPointerException().isThrownBy(() -> new ResponseHeadValidator(null)).withMessage("policy");
        assertThatNullPointerException().isThrownBy(() -> new ResponseHeadValidator(STRICT, java.util.Arrays.asList(
                (ValidationRule) null)));
    }

    // ---------------------------------------------------------------- the success path

    @Test
    void theSuccessPathAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        ResponseHeadValidator validator = new ResponseHeadValidator(STRICT, List.of((head, context) -> null));
        long threadId = Thread.currentThread().getId();
        int calls = 20_000;
        for (int i = 0; i < calls; i++) {   // warm up, so class loading and compilation are done
            validator.validate(TYPICAL, ValidationContext.DEFAULT);
        }

        long before = threads.getThreadAllocatedBytes(threadId);
        ValidationResult last = null;
        for (int i = 0; i < calls; i++) {
            last = validator.validate(TYPICAL, ValidationContext.DEFAULT);
        }
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(last).isSameAs(ValidationResult.OK);
        // one object per call would be at least 16 bytes a call; allow for the measurement's own noise
        assertThat(allocated).isLessThan(calls);
    }

    // ---------------------------------------------------------------- rows

    private static ResponseHead head(int status, String... namesAndValues) {
        return ResponseHead.of(status, "Reason", namesAndValues);
    }

    private static Violation protocol(String name, ResponseHead head, String details) {
        return new Violation(name, head, STRICT, ValidationContext.DEFAULT, ErrorType.HTTP_PROTOCOL_ERROR, Map.of(), details);
    }

    private static Violation failure(String name, ResponseHead head, ErrorType type, String details,
                                     Object... parameters) {
        Map<String, Object> expected = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            expected.put((String) parameters[i], parameters[i + 1]);
        }
        return new Violation(name, head, STRICT, ValidationContext.DEFAULT, type, expected, details);
    }

    private static Violation notDecoded(String name, String transferEncoding, String coding) {
        return failure("Transfer-Encoding " + name, head(200, "Transfer-Encoding", transferEncoding),
                ErrorType.HTTP_RESPONSE_TRANSFER_CODING,
                "transfer coding this proxy does not decode (RFC 9112 section 6.1)", "coding", coding);
    }

    private static Valid valid(String name, ResponseHead head) {
        return new Valid(name, head, STRICT, ValidationContext.DEFAULT);
    }

    private static Repaired repaired(String name, ValidationPolicy policy, ResponseHead head, HeadRepair... repairs) {
        return new Repaired(name, policy, head, List.of(repairs));
    }

    record Violation(String name, ResponseHead head, ValidationPolicy policy, ValidationContext context,
                     ErrorType type, Map<String, Object> parameters, String details) {
        Violation with(ValidationPolicy newPolicy) {
            return new Violation(name, head, newPolicy, context, type, parameters, details);
        }

        Violation in(ValidationContext newContext) {
            return new Violation(name, head, policy, newContext, type, parameters, details);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    // ---------------------------------------------------------------- raw field lines (for clients that rewrite them)

    @Test
    void aRawFieldLinesVerdictIsTheOneTheHeadWouldGet() {
        ResponseHeadValidator strict = new ResponseHeadValidator(STRICT);
        ResponseHeadValidator replacing = new ResponseHeadValidator(FOLDS_REPLACED);
        assertThat(ResponseHeadValidator.invalidFieldName())
                .isEqualTo(strict.validate(head(200, "Bad Header", "x"), ValidationContext.DEFAULT).failure());
        assertThat(strict.obsFold(false))
                .isEqualTo(strict.validate(head(200, "X", "a\r\n b"), ValidationContext.DEFAULT).failure());
        assertThat(strict.obsFold(true))
                .isEqualTo(strict.validate(head(200, "Content-Length", "5\r\n "), ValidationContext.DEFAULT).failure());
        assertThat(replacing.obsFold(false)).isNull();
        assertThat(replacing.obsFold(true))
                .isEqualTo(replacing.validate(head(200, "Transfer-Encoding", "chunked\r\n "), ValidationContext.DEFAULT)
                        .failure());
    }

    record Valid(String name, ResponseHead head, ValidationPolicy policy, ValidationContext context) {
        Valid with(ValidationPolicy newPolicy) {
            return new Valid(name, head, newPolicy, context);
        }

        Valid in(ValidationContext newContext) {
            return new Valid(name, head, policy, newContext);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record Repaired(String name, ValidationPolicy policy, ResponseHead head, List<HeadRepair> repairs) {
        @Override
        public String toString() {
            return name;
        }
    }
}
