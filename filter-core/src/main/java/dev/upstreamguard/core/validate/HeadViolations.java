package dev.upstreamguard.core.validate;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The failures {@link ResponseHeadValidator} reports, all in {@link Phase#READ_HEAD}, and their
 * {@code details}. Details are printable ASCII so they fit an RFC 8941 String in {@code Proxy-Status}.
 */
final class HeadViolations {

    static final String STATUS_OUT_OF_RANGE = "status code out of range (RFC 9110 section 15)";
    static final String INTERIM_STATUS = "interim status as final response (RFC 9110 section 15.2)";
    static final String UNREQUESTED_UPGRADE =
            "101 Switching Protocols without a requested upgrade (RFC 9110 section 15.2.2)";
    static final String UPGRADE_MISSING = "101 Switching Protocols without Upgrade (RFC 9110 section 15.2.2)";
    static final String CONTENT_LENGTH_WITHOUT_CONTENT =
            "Content-Length in a 1xx or 204 response (RFC 9110 section 8.6)";
    static final String TRANSFER_ENCODING_WITHOUT_CONTENT =
            "Transfer-Encoding in a 1xx or 204 response (RFC 9112 section 6.1)";
    static final String INVALID_REASON = "invalid character in reason phrase (RFC 9112 section 4)";
    static final String INVALID_NAME = "invalid header field name (RFC 9110 section 5.1)";
    static final String BARE_CR = "bare CR in header value (RFC 9112 section 2.2)";
    static final String BARE_LF = "bare LF in header value (RFC 9112 section 2.2)";
    static final String CRLF = "CRLF in header value (RFC 9110 section 5.5)";
    static final String NUL = "NUL in header value (RFC 9110 section 5.5)";
    static final String CONTROL = "control character in header value (RFC 9110 section 5.5)";
    static final String OBS_FOLD = "obs-fold in header value (RFC 9112 section 5.2)";
    static final String OBS_FOLD_IN_FRAMING = "obs-fold in Content-Length or Transfer-Encoding (RFC 9112 section 5.2)";
    static final String CONTENT_LENGTH_NOT_A_NUMBER = "Content-Length is not a number (RFC 9110 section 8.6)";
    static final String CONTENT_LENGTH_NEGATIVE = "negative Content-Length (RFC 9110 section 8.6)";
    static final String CONTENT_LENGTH_TOO_LONG = "Content-Length longer than 18 digits (RFC 9110 section 8.6)";
    static final String CONTENT_LENGTH_LIST_DIFFERS =
            "Content-Length list with differing values (RFC 9110 section 8.6)";
    static final String CONTENT_LENGTH_FIELDS_DIFFER = "differing Content-Length fields (RFC 9110 section 8.6)";
    static final String TRANSFER_ENCODING_WITH_CONTENT_LENGTH =
            "Transfer-Encoding with Content-Length (RFC 9112 section 6.3)";
    static final String TRANSFER_CODING_SYNTAX = "invalid Transfer-Encoding syntax (RFC 9112 section 6.1)";
    static final String TRANSFER_CODING_EMPTY = "Transfer-Encoding without a coding (RFC 9112 section 6.1)";
    static final String CHUNKED_TWICE = "chunked applied more than once (RFC 9112 section 6.1)";
    static final String UNKNOWN_TRANSFER_CODING = "unknown transfer coding (RFC 9112 section 7)";
    static final String NOT_DECODED_TRANSFER_CODING =
            "transfer coding this proxy does not decode (RFC 9112 section 6.1)";
    static final String CHUNKED_NOT_LAST = "chunked not the final transfer coding (RFC 9112 section 6.1)";
    static final String HEADER_TOO_LARGE = "header field over the size limit (RFC 9110 section 5.4)";
    static final String SECTION_TOO_LARGE = "header section over the size limit (RFC 9110 section 5.4)";

    private HeadViolations() {
    }

    static UpstreamFailure protocolError(String details) {
        return failure(ErrorType.HTTP_PROTOCOL_ERROR, Map.of(), details);
    }

    /** The details for a negative {@link FieldValues#scan} result. */
    static String valueDetails(long scanResult) {
        if (scanResult == FieldValues.BARE_CR) {
            return BARE_CR;
        } else if (scanResult == FieldValues.BARE_LF) {
            return BARE_LF;
        } else if (scanResult == FieldValues.CRLF) {
            return CRLF;
        } else if (scanResult == FieldValues.NUL) {
            return NUL;
        } else if (scanResult == FieldValues.OBS_FOLD) {
            return OBS_FOLD;
        }
        return CONTROL;
    }

    /** The details for a negative {@link ContentLengthValue#parse} result. */
    static String contentLengthDetails(long parseResult) {
        if (parseResult == ContentLengthValue.NEGATIVE) {
            return CONTENT_LENGTH_NEGATIVE;
        } else if (parseResult == ContentLengthValue.TOO_LONG) {
            return CONTENT_LENGTH_TOO_LONG;
        } else if (parseResult == ContentLengthValue.DIFFERING_IN_LIST) {
            return CONTENT_LENGTH_LIST_DIFFERS;
        }
        return CONTENT_LENGTH_NOT_A_NUMBER;
    }

    /**
     * The failure for a negative {@link TransferCodings#scan} result: a syntax error is an
     * {@code http_protocol_error}; a coding we cannot decode, or one in the wrong place, is
     * {@code http_response_transfer_coding} (RFC 9209 §2.3.24) with {@code coding}.
     */
    static UpstreamFailure transferCoding(String value, long scanResult) {
        switch (TransferCodings.violation(scanResult)) {
            case TransferCodings.SYNTAX:
                return protocolError(TRANSFER_CODING_SYNTAX);
            case TransferCodings.EMPTY:
                return protocolError(TRANSFER_CODING_EMPTY);
            case TransferCodings.CHUNKED_TWICE:
                return failure(ErrorType.HTTP_RESPONSE_TRANSFER_CODING, Map.of("coding", "chunked"), CHUNKED_TWICE);
            case TransferCodings.NOT_DECODED:
                return codingFailure(value, scanResult, NOT_DECODED_TRANSFER_CODING);
            case TransferCodings.CHUNKED_NOT_LAST:
                return codingFailure(value, scanResult, CHUNKED_NOT_LAST);
            default:
                return codingFailure(value, scanResult, UNKNOWN_TRANSFER_CODING);
        }
    }

    private static UpstreamFailure codingFailure(String value, long scanResult, String details) {
        return failure(ErrorType.HTTP_RESPONSE_TRANSFER_CODING,
                Map.of("coding", TransferCodings.codingName(value, scanResult)), details);
    }

    /** One field line over the limit; {@code name} is a valid token, checked before the size. */
    static UpstreamFailure headerTooLarge(String name, long size) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("header-name", name);
        parameters.put("header-size", clamp(size));
        return failure(ErrorType.HTTP_RESPONSE_HEADER_SIZE, parameters, HEADER_TOO_LARGE);
    }

    /** The whole section over the limit. */
    static UpstreamFailure sectionTooLarge(long size) {
        return failure(ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, Map.of("header-section-size", clamp(size)),
                SECTION_TOO_LARGE);
    }

    /** More field lines than the limit. */
    static UpstreamFailure tooManyFields(int count, int limit) {
        return failure(ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, Map.of(),
                count + " header fields, over the limit of " + limit + " (RFC 9110 section 5.4)");
    }

    private static UpstreamFailure failure(ErrorType type, Map<String, Object> parameters, String details) {
        return new UpstreamFailure(type, Phase.READ_HEAD, parameters, details, null);
    }

    private static Integer clamp(long size) {
        return (int) Math.min(size, Integer.MAX_VALUE);
    }
}
