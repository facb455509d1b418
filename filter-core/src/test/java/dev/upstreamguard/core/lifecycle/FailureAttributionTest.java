package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.Set;

import static dev.upstreamguard.core.ErrorType.*;
import static org.assertj.core.api.Assertions.assertThat;

class FailureAttributionTest {

    /** The upstream, or the way to it, misbehaved. */
    private static final Set<ErrorType> COUNTED = EnumSet.of(DNS_TIMEOUT, DNS_ERROR, DESTINATION_IP_UNROUTABLE,
            CONNECTION_REFUSED, CONNECTION_TERMINATED, CONNECTION_TIMEOUT, CONNECTION_READ_TIMEOUT,
            CONNECTION_WRITE_TIMEOUT, TLS_PROTOCOL_ERROR, TLS_CERTIFICATE_ERROR, TLS_ALERT_RECEIVED,
            HTTP_RESPONSE_INCOMPLETE, HTTP_RESPONSE_TIMEOUT, HTTP_RESPONSE_TRANSFER_CODING, HTTP_UPGRADE_FAILED,
            HTTP_PROTOCOL_ERROR);

    /** Us, the client, or one resource's response against our limits. */
    private static final Set<ErrorType> NOT_COUNTED = EnumSet.of(DESTINATION_NOT_FOUND, DESTINATION_UNAVAILABLE,
            DESTINATION_IP_PROHIBITED, CONNECTION_LIMIT_REACHED, HTTP_REQUEST_ERROR, HTTP_REQUEST_DENIED,
            HTTP_RESPONSE_HEADER_SECTION_SIZE, HTTP_RESPONSE_HEADER_SIZE, HTTP_RESPONSE_BODY_SIZE,
            HTTP_RESPONSE_TRAILER_SECTION_SIZE, HTTP_RESPONSE_TRAILER_SIZE, HTTP_RESPONSE_CONTENT_CODING,
            PROXY_INTERNAL_RESPONSE, PROXY_INTERNAL_ERROR, PROXY_CONFIGURATION_ERROR, PROXY_LOOP_DETECTED);

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void everyTypeIsDecidedOnceAndAsTabled(ErrorType type) {
        assertThat(COUNTED.contains(type) ^ NOT_COUNTED.contains(type))
                .as("%s is in exactly one table", type).isTrue();
        assertThat(FailureAttribution.countsAgainstUpstream(type)).isEqualTo(COUNTED.contains(type));
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = "ADMISSION", mode = EnumSource.Mode.EXCLUDE)
    void outsideAdmissionTheTypeDecides(Phase phase) {
        for (ErrorType type : ErrorType.values()) {
            assertThat(FailureAttribution.countsAgainstUpstream(UpstreamFailure.of(type, phase)))
                    .as("%s in %s", type, phase).isEqualTo(COUNTED.contains(type));
        }
    }

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void nothingInAdmissionCounts(ErrorType type) {
        assertThat(FailureAttribution.countsAgainstUpstream(UpstreamFailure.of(type, Phase.ADMISSION))).isFalse();
    }
}
