package dev.upstreamguard.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The proxy error types of RFC 9209 §2.3, our vocabulary for every upstream failure.
 *
 * <p>Each constant carries the token written in the {@code error} parameter of {@code Proxy-Status},
 * the extra parameters the RFC defines for it, and the status code the RFC recommends. The status a
 * response really gets comes from {@link dev.upstreamguard.core.policy.GuardPolicy#statusFor(ErrorType)},
 * which may override the recommendation per type; nothing configurable is frozen in this enum.
 */
public enum ErrorType {
    /** §2.3.1: the DNS resolver timed out. */
    DNS_TIMEOUT("dns_timeout", 504),
    /** §2.3.2: the DNS resolver returned an error ({@code rcode}, {@code info-code}). */
    DNS_ERROR("dns_error", 502, "rcode", "info-code"),
    /** §2.3.3: the intermediary could not determine the destination (route has no upstream). */
    DESTINATION_NOT_FOUND("destination_not_found", 500),
    /** §2.3.4: every candidate destination is unavailable (ejected, circuit open). */
    DESTINATION_UNAVAILABLE("destination_unavailable", 503),
    /** §2.3.5: the destination's IP address is prohibited by policy. */
    DESTINATION_IP_PROHIBITED("destination_ip_prohibited", 502),
    /** §2.3.6: no route to the destination's IP address. */
    DESTINATION_IP_UNROUTABLE("destination_ip_unroutable", 502),
    /** §2.3.7: the next hop refused the TCP connection. */
    CONNECTION_REFUSED("connection_refused", 502),
    /** §2.3.8: the connection was closed or reset before any response byte. */
    CONNECTION_TERMINATED("connection_terminated", 502),
    /** §2.3.9: the TCP connection could not be established in time. */
    CONNECTION_TIMEOUT("connection_timeout", 504),
    /** §2.3.10: the connection stayed idle past the read timeout. */
    CONNECTION_READ_TIMEOUT("connection_read_timeout", 504),
    /** §2.3.11: writing the request to the next hop timed out. */
    CONNECTION_WRITE_TIMEOUT("connection_write_timeout", 504),
    /** §2.3.12: a connection limit was reached (pool exhausted, concurrency limit, load shed). */
    CONNECTION_LIMIT_REACHED("connection_limit_reached", 503),
    /** §2.3.13: the TLS handshake failed for a protocol reason. */
    TLS_PROTOCOL_ERROR("tls_protocol_error", 502),
    /** §2.3.14: the next hop's certificate could not be verified. */
    TLS_CERTIFICATE_ERROR("tls_certificate_error", 502),
    /** §2.3.15: the next hop sent a TLS alert ({@code alert-id}, {@code alert-message}). */
    TLS_ALERT_RECEIVED("tls_alert_received", 502, "alert-id", "alert-message"),
    /**
     * §2.3.16: the client's request was in error ({@code status-code}, {@code status-phrase}); the
     * status is a 4xx that the parameter names (e.g. 429 for a rate limit), 400 when none is given.
     */
    HTTP_REQUEST_ERROR("http_request_error", 400, "status-code", "status-phrase"),
    /** §2.3.17: the request was denied by policy. */
    HTTP_REQUEST_DENIED("http_request_denied", 403),
    /** §2.3.18: the response was incomplete (closed or reset after part of the head, or mid-body). */
    HTTP_RESPONSE_INCOMPLETE("http_response_incomplete", 502),
    /** §2.3.19: the whole response header section was over the limit ({@code header-section-size}). */
    HTTP_RESPONSE_HEADER_SECTION_SIZE("http_response_header_section_size", 502, "header-section-size"),
    /** §2.3.20: one response header field was over the limit ({@code header-name}, {@code header-size}). */
    HTTP_RESPONSE_HEADER_SIZE("http_response_header_size", 502, "header-name", "header-size"),
    /** §2.3.21: the response body was over the limit ({@code body-size}). */
    HTTP_RESPONSE_BODY_SIZE("http_response_body_size", 502, "body-size"),
    /** §2.3.22: the trailer section was over the limit ({@code trailer-section-size}). */
    HTTP_RESPONSE_TRAILER_SECTION_SIZE("http_response_trailer_section_size", 502, "trailer-section-size"),
    /** §2.3.23: one trailer field was over the limit ({@code trailer-name}, {@code trailer-size}). */
    HTTP_RESPONSE_TRAILER_SIZE("http_response_trailer_size", 502, "trailer-name", "trailer-size"),
    /** §2.3.24: the transfer coding was invalid or unsupported ({@code coding}). */
    HTTP_RESPONSE_TRANSFER_CODING("http_response_transfer_coding", 502, "coding"),
    /** §2.3.25: the content coding was invalid or unsupported ({@code coding}). */
    HTTP_RESPONSE_CONTENT_CODING("http_response_content_coding", 502, "coding"),
    /** §2.3.26: no response head arrived within the response timeout. */
    HTTP_RESPONSE_TIMEOUT("http_response_timeout", 504),
    /** §2.3.27: a requested protocol upgrade failed. */
    HTTP_UPGRADE_FAILED("http_upgrade_failed", 502),
    /** §2.3.28: the next hop violated the HTTP protocol ({@code details} names the rule). */
    HTTP_PROTOCOL_ERROR("http_protocol_error", 502),
    /**
     * §2.3.29: the intermediary answered by itself, without contacting a next hop. RFC 9209 leaves the
     * status to "the most appropriate status code"; 500 is only our fallback.
     */
    PROXY_INTERNAL_RESPONSE("proxy_internal_response", 500),
    /** §2.3.30: an internal error of the intermediary (our bug, an unknown throwable). */
    PROXY_INTERNAL_ERROR("proxy_internal_error", 500),
    /** §2.3.31: the intermediary's configuration is in error. */
    PROXY_CONFIGURATION_ERROR("proxy_configuration_error", 500),
    /** §2.3.32: the request already passed through this intermediary. */
    PROXY_LOOP_DETECTED("proxy_loop_detected", 502);

    private static final Map<String, ErrorType> BY_TOKEN =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(ErrorType::token, Function.identity()));

    private final String token;
    private final int recommendedStatus;
    private final List<String> extraParameters;

    ErrorType(String token, int recommendedStatus, String... extraParameters) {
        this.token = token;
        this.recommendedStatus = recommendedStatus;
        this.extraParameters = List.of(extraParameters);
    }

    /** The RFC 9209 token, e.g. {@code connection_refused}; an RFC 8941 Token. */
    public String token() {
        return token;
    }

    /** The status code RFC 9209 recommends for this type. */
    public int recommendedStatus() {
        return recommendedStatus;
    }

    /** The names of the extra {@code Proxy-Status} parameters RFC 9209 defines for this type. */
    public List<String> extraParameters() {
        return extraParameters;
    }

    /** The constant for an RFC 9209 token, if it is one of ours. */
    public static Optional<ErrorType> fromToken(String token) {
        return Optional.ofNullable(BY_TOKEN.get(token));
    }
}
