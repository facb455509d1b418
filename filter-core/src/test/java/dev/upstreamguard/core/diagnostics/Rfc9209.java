package dev.upstreamguard.core.diagnostics;

import java.util.List;
import java.util.Map;

/**
 * Facts of RFC 9209 as published (June 2022), typed in by hand from §2.1 and §2.3, for tests that check
 * our code against the RFC rather than against itself.
 */
final class Rfc9209 {

    private Rfc9209() {
    }

    /** A row of §2.3: the recommended status ({@code null} where the RFC says "the applicable 4xx status
     *  code" or "the most appropriate status code") and the extra parameters in RFC order. */
    record ErrorTypeRow(Integer recommendedStatus, List<String> extraParameters) {
    }

    static final Map<String, ErrorTypeRow> ERROR_TYPES = Map.ofEntries(
            Map.entry("dns_timeout", row(504)),
            Map.entry("dns_error", row(502, "rcode", "info-code")),
            Map.entry("destination_not_found", row(500)),
            Map.entry("destination_unavailable", row(503)),
            Map.entry("destination_ip_prohibited", row(502)),
            Map.entry("destination_ip_unroutable", row(502)),
            Map.entry("connection_refused", row(502)),
            Map.entry("connection_terminated", row(502)),
            Map.entry("connection_timeout", row(504)),
            Map.entry("connection_read_timeout", row(504)),
            Map.entry("connection_write_timeout", row(504)),
            Map.entry("connection_limit_reached", row(503)),
            Map.entry("tls_protocol_error", row(502)),
            Map.entry("tls_certificate_error", row(502)),
            Map.entry("tls_alert_received", row(502, "alert-id", "alert-message")),
            Map.entry("http_request_error", row(null, "status-code", "status-phrase")),
            Map.entry("http_request_denied", row(403)),
            Map.entry("http_response_incomplete", row(502)),
            Map.entry("http_response_header_section_size", row(502, "header-section-size")),
            Map.entry("http_response_header_size", row(502, "header-name", "header-size")),
            Map.entry("http_response_body_size", row(502, "body-size")),
            Map.entry("http_response_trailer_section_size", row(502, "trailer-section-size")),
            Map.entry("http_response_trailer_size", row(502, "trailer-name", "trailer-size")),
            Map.entry("http_response_transfer_coding", row(502, "coding")),
            Map.entry("http_response_content_coding", row(502, "coding")),
            Map.entry("http_response_timeout", row(504)),
            Map.entry("http_upgrade_failed", row(502)),
            Map.entry("http_protocol_error", row(502)),
            Map.entry("proxy_internal_response", row(null)),
            Map.entry("proxy_internal_error", row(500)),
            Map.entry("proxy_configuration_error", row(500)),
            Map.entry("proxy_loop_detected", row(502)));

    /** The structured type of each parameter: "integer", "string", "token" or "token-or-string". */
    static final Map<String, String> PARAMETER_TYPES = Map.ofEntries(
            Map.entry("error", "token"),
            Map.entry("next-hop", "token-or-string"),
            Map.entry("received-status", "integer"),
            Map.entry("details", "string"),
            Map.entry("rcode", "string"),
            Map.entry("info-code", "integer"),
            Map.entry("alert-id", "integer"),
            Map.entry("alert-message", "token-or-string"),
            Map.entry("status-code", "integer"),
            Map.entry("status-phrase", "string"),
            Map.entry("header-section-size", "integer"),
            Map.entry("header-name", "string"),
            Map.entry("header-size", "integer"),
            Map.entry("body-size", "integer"),
            Map.entry("trailer-section-size", "integer"),
            Map.entry("trailer-name", "string"),
            Map.entry("trailer-size", "integer"),
            Map.entry("coding", "token"));

    private static ErrorTypeRow row(Integer status, String... extra) {
        return new ErrorTypeRow(status, List.of(extra));
    }
}
