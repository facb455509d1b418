package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.ErrorType;

import java.util.EnumMap;
import java.util.Map;

/**
 * The human texts for each RFC 9209 error type: the {@code title} of a problem document (RFC 9457 §3.1.4,
 * the same for every occurrence of the type) and the operator's log phrase, nginx-like and written to be
 * followed by a {@link dev.upstreamguard.core.Phase#logPhrase() phase phrase} ("upstream refused
 * connection while connecting to upstream"). Neither names a host, an address or an exception.
 */
public final class ErrorTexts {

    private record Texts(String title, String logPhrase) {
    }

    private static final Map<ErrorType, Texts> TEXTS = new EnumMap<>(ErrorType.class);

    static {
        for (ErrorType type : ErrorType.values()) {
            TEXTS.put(type, texts(type));
        }
    }

    private ErrorTexts() {
    }

    /** The problem title, e.g. "Upstream refused the connection". */
    public static String title(ErrorType type) {
        return TEXTS.get(type).title();
    }

    /** The operator's log phrase, e.g. "upstream refused connection". */
    public static String logPhrase(ErrorType type) {
        return TEXTS.get(type).logPhrase();
    }

    /** One row per type; a switch expression, so a new type without texts does not compile. */
    private static Texts texts(ErrorType type) {
        return switch (type) {
            case DNS_TIMEOUT -> new Texts("Upstream name lookup timed out",
                    "upstream host name lookup timed out");
            case DNS_ERROR -> new Texts("Upstream name could not be resolved",
                    "upstream host name could not be resolved");
            case DESTINATION_NOT_FOUND -> new Texts("No upstream is configured for this request",
                    "no upstream configured for route");
            case DESTINATION_UNAVAILABLE -> new Texts("No upstream is available",
                    "no live upstreams");
            case DESTINATION_IP_PROHIBITED -> new Texts("Upstream address is prohibited",
                    "upstream address prohibited by policy");
            case DESTINATION_IP_UNROUTABLE -> new Texts("Upstream is unreachable",
                    "no route to upstream host");
            case CONNECTION_REFUSED -> new Texts("Upstream refused the connection",
                    "upstream refused connection");
            case CONNECTION_TERMINATED -> new Texts("Upstream closed the connection",
                    "upstream prematurely closed connection");
            case CONNECTION_TIMEOUT -> new Texts("Upstream connection timed out",
                    "upstream connect timed out");
            case CONNECTION_READ_TIMEOUT -> new Texts("Upstream stopped sending data",
                    "upstream timed out sending data");
            case CONNECTION_WRITE_TIMEOUT -> new Texts("Sending the request upstream timed out",
                    "upstream timed out accepting request data");
            case CONNECTION_LIMIT_REACHED -> new Texts("Upstream connection limit reached",
                    "upstream connection limit reached");
            case TLS_PROTOCOL_ERROR -> new Texts("TLS error with the upstream",
                    "TLS protocol error with upstream");
            case TLS_CERTIFICATE_ERROR -> new Texts("Upstream certificate is not trusted",
                    "upstream certificate verification failed");
            case TLS_ALERT_RECEIVED -> new Texts("Upstream sent a TLS alert",
                    "upstream sent TLS alert");
            case HTTP_REQUEST_ERROR -> new Texts("Request rejected by the gateway",
                    "request rejected by gateway");
            case HTTP_REQUEST_DENIED -> new Texts("Request denied by policy",
                    "request denied by policy");
            case HTTP_RESPONSE_INCOMPLETE -> new Texts("Upstream response was incomplete",
                    "upstream sent incomplete response");
            case HTTP_RESPONSE_HEADER_SECTION_SIZE -> new Texts("Upstream response header section too large",
                    "upstream sent too big header section");
            case HTTP_RESPONSE_HEADER_SIZE -> new Texts("Upstream response header field too large",
                    "upstream sent too big header field");
            case HTTP_RESPONSE_BODY_SIZE -> new Texts("Upstream response body too large",
                    "upstream sent too big body");
            case HTTP_RESPONSE_TRAILER_SECTION_SIZE -> new Texts("Upstream response trailer section too large",
                    "upstream sent too big trailer section");
            case HTTP_RESPONSE_TRAILER_SIZE -> new Texts("Upstream response trailer field too large",
                    "upstream sent too big trailer field");
            case HTTP_RESPONSE_TRANSFER_CODING -> new Texts("Upstream response has an invalid transfer coding",
                    "upstream sent invalid transfer coding");
            case HTTP_RESPONSE_CONTENT_CODING -> new Texts("Upstream response has an invalid content coding",
                    "upstream sent invalid content coding");
            case HTTP_RESPONSE_TIMEOUT -> new Texts("Upstream response timed out",
                    "upstream timed out");
            case HTTP_UPGRADE_FAILED -> new Texts("Upstream protocol upgrade failed",
                    "upstream protocol upgrade failed");
            case HTTP_PROTOCOL_ERROR -> new Texts("Upstream response was invalid",
                    "upstream sent invalid response");
            case PROXY_INTERNAL_RESPONSE -> new Texts("Response generated by the gateway",
                    "gateway answered by itself");
            case PROXY_INTERNAL_ERROR -> new Texts("Gateway internal error",
                    "gateway internal error");
            case PROXY_CONFIGURATION_ERROR -> new Texts("Gateway configuration error",
                    "gateway configuration error");
            case PROXY_LOOP_DETECTED -> new Texts("Request loop detected",
                    "request loop detected");
        };
    }
}
