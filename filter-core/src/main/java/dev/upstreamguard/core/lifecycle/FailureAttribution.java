package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;

import java.util.Objects;

/**
 * Decides which classified failures count against an upstream's passive health.
 *
 * <p>A failure counts when the upstream, or the way to it, misbehaved: its name did not resolve, its
 * address was unroutable, it refused, timed out, reset or closed the connection, its TLS handshake failed,
 * or its response was late, incomplete or broke HTTP framing. A failure does not count when it says
 * something about <em>us</em> or about one request rather than about the upstream:
 * <ul>
 *   <li>our own limits and verdicts: {@code connection_limit_reached} (our pool, concurrency limit, shed
 *       load), {@code destination_unavailable} (our own health verdict; counting it would feed back),
 *       {@code destination_not_found} and {@code destination_ip_prohibited} (our configuration and policy);</li>
 *   <li>the client's request: {@code http_request_error}, {@code http_request_denied};</li>
 *   <li>our size limits against one response ({@code http_response_header_size},
 *       {@code http_response_header_section_size}, {@code http_response_body_size}, the trailer sizes) and
 *       an unsupported content coding: they depend on the resource requested, every replica serves the same
 *       resource, and ejecting a replica that served it correctly would only move the problem around;</li>
 *   <li>the {@code proxy_*} types: our bug, our configuration, a loop, an answer we made ourselves;</li>
 *   <li>anything in {@link Phase#ADMISSION}: no upstream had been chosen yet.</li>
 * </ul>
 */
public final class FailureAttribution {

    private FailureAttribution() {
    }

    /** Whether {@code failure} counts as a gateway failure of the upstream it happened on. */
    public static boolean countsAgainstUpstream(UpstreamFailure failure) {
        Objects.requireNonNull(failure, "failure");
        return failure.phase() != Phase.ADMISSION && countsAgainstUpstream(failure.type());
    }

    /** Whether a failure of {@code type} (outside admission) counts against the upstream. */
    public static boolean countsAgainstUpstream(ErrorType type) {
        // a switch expression without default: a new error type does not compile until it is decided here
        return switch (type) {
            case DNS_TIMEOUT, DNS_ERROR, DESTINATION_IP_UNROUTABLE,
                    CONNECTION_REFUSED, CONNECTION_TERMINATED, CONNECTION_TIMEOUT,
                    CONNECTION_READ_TIMEOUT, CONNECTION_WRITE_TIMEOUT,
                    TLS_PROTOCOL_ERROR, TLS_CERTIFICATE_ERROR, TLS_ALERT_RECEIVED,
                    HTTP_RESPONSE_INCOMPLETE, HTTP_RESPONSE_TIMEOUT, HTTP_RESPONSE_TRANSFER_CODING,
                    HTTP_UPGRADE_FAILED, HTTP_PROTOCOL_ERROR -> true;
            case DESTINATION_NOT_FOUND, DESTINATION_UNAVAILABLE, DESTINATION_IP_PROHIBITED,
                    CONNECTION_LIMIT_REACHED, HTTP_REQUEST_ERROR, HTTP_REQUEST_DENIED,
                    HTTP_RESPONSE_HEADER_SECTION_SIZE, HTTP_RESPONSE_HEADER_SIZE, HTTP_RESPONSE_BODY_SIZE,
                    HTTP_RESPONSE_TRAILER_SECTION_SIZE, HTTP_RESPONSE_TRAILER_SIZE, HTTP_RESPONSE_CONTENT_CODING,
                    PROXY_INTERNAL_RESPONSE, PROXY_INTERNAL_ERROR, PROXY_CONFIGURATION_ERROR,
                    PROXY_LOOP_DETECTED -> false;
        };
    }
}
