package dev.upstreamguard.core.classify;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * TLS alert descriptions from the IANA "TLS Alerts" registry (RFC 8446 §6, RFC 5246 §7.2), for the
 * {@code alert-id} and {@code alert-message} parameters of RFC 9209 §2.3.15.
 */
enum TlsAlert {
    CLOSE_NOTIFY(0), UNEXPECTED_MESSAGE(10), BAD_RECORD_MAC(20), DECRYPTION_FAILED(21), RECORD_OVERFLOW(22),
    DECOMPRESSION_FAILURE(30), HANDSHAKE_FAILURE(40), NO_CERTIFICATE(41), BAD_CERTIFICATE(42),
    UNSUPPORTED_CERTIFICATE(43), CERTIFICATE_REVOKED(44), CERTIFICATE_EXPIRED(45), CERTIFICATE_UNKNOWN(46),
    ILLEGAL_PARAMETER(47), UNKNOWN_CA(48), ACCESS_DENIED(49), DECODE_ERROR(50), DECRYPT_ERROR(51),
    TOO_MANY_CIDS_REQUESTED(52), EXPORT_RESTRICTION(60), PROTOCOL_VERSION(70), INSUFFICIENT_SECURITY(71),
    INTERNAL_ERROR(80), INAPPROPRIATE_FALLBACK(86), USER_CANCELED(90), NO_RENEGOTIATION(100),
    MISSING_EXTENSION(109), UNSUPPORTED_EXTENSION(110), CERTIFICATE_UNOBTAINABLE(111), UNRECOGNIZED_NAME(112),
    BAD_CERTIFICATE_STATUS_RESPONSE(113), BAD_CERTIFICATE_HASH_VALUE(114), UNKNOWN_PSK_IDENTITY(115),
    CERTIFICATE_REQUIRED(116), GENERAL_ERROR(117), NO_APPLICATION_PROTOCOL(120), ECH_REQUIRED(121);

    private static final Map<String, TlsAlert> BY_DESCRIPTION =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(TlsAlert::description, Function.identity()));

    private final int id;

    TlsAlert(int id) {
        this.id = id;
    }

    /** The alert's numeric AlertDescription value. */
    int id() {
        return id;
    }

    /** The registry's description, e.g. {@code handshake_failure}. */
    String description() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Optional<TlsAlert> byDescription(String description) {
        return Optional.ofNullable(BY_DESCRIPTION.get(description));
    }
}
