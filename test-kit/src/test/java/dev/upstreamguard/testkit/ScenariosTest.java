package dev.upstreamguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The conformance list matches the taxonomy (the README's error table) and points at the right places. */
class ScenariosTest {

    private static MisbehavingUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = MisbehavingUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @CsvSource(nullValues = "-", textBlock = """
            connection-refused,                    502, connection_refused,                VERDICT,        REFUSED
            connect-timeout,                       504, connection_timeout,                VERDICT,        CONNECT_TIMEOUT
            dns-error,                             502, dns_error,                         VERDICT,        UNRESOLVABLE
            control-ok,                            200, -,                                 CONTROL,        FAULT_PATH
            reset-before-response,                 502, connection_terminated,             VERDICT,        FAULT_PATH
            close-before-response,                 502, connection_terminated,             VERDICT,        FAULT_PATH
            close-mid-head,                        502, http_response_incomplete,          VERDICT,        FAULT_PATH
            stall,                                 504, http_response_timeout,             VERDICT,        FAULT_PATH
            slow-head,                             504, http_response_timeout,             VERDICT,        FAULT_PATH
            truncated-body-content-length,         200, http_response_incomplete,          TRUNCATED,      FAULT_PATH
            truncated-body-chunked,                200, http_response_incomplete,          TRUNCATED,      FAULT_PATH
            reset-mid-body,                        200, http_response_incomplete,          TRUNCATED,      FAULT_PATH
            invalid-header-name,                   502, http_protocol_error,               VERDICT,        FAULT_PATH
            bare-cr-in-value,                      502, http_protocol_error,               VERDICT,        FAULT_PATH
            bare-lf-in-value,                      502, http_protocol_error,               VERDICT,        FAULT_PATH
            nul-in-value,                          502, http_protocol_error,               VERDICT,        FAULT_PATH
            obs-fold,                              502, http_protocol_error,               VERDICT,        FAULT_PATH
            huge-header,                           502, http_response_header_size,         VERDICT,        FAULT_PATH
            huge-head,                             502, http_response_header_section_size, VERDICT,        FAULT_PATH
            bad-status-line,                       502, http_protocol_error,               VERDICT,        FAULT_PATH
            http09,                                502, http_protocol_error,               VERDICT,        FAULT_PATH
            status-999,                            502, http_protocol_error,               VERDICT,        FAULT_PATH
            duplicate-content-length,              502, http_protocol_error,               VERDICT,        FAULT_PATH
            transfer-encoding-with-content-length, 502, http_protocol_error,               VERDICT,        FAULT_PATH
            bad-chunk-size,                        200, http_response_transfer_coding,     TRUNCATED,      FAULT_PATH
            upstream-500,                          500, -,                                 PASSED_THROUGH, FAULT_PATH
            upstream-502,                          502, -,                                 PASSED_THROUGH, FAULT_PATH
            upstream-503-retry-after,              503, -,                                 PASSED_THROUGH, FAULT_PATH
            upstream-504,                          504, -,                                 PASSED_THROUGH, FAULT_PATH
            interim-1xx-then-200,                  200, -,                                 CONTROL,        FAULT_PATH
            switching-101-without-upgrade,         502, http_protocol_error,               VERDICT,        FAULT_PATH
            tls-on-plain-port,                     502, http_protocol_error,               VERDICT,        FAULT_PATH
            """)
    void expectsTheDesignedVerdict(String name, int status, String error, Outcome outcome, Target target) {
        Scenario scenario = Scenarios.named(name);

        assertThat(scenario.expectedStatus()).isEqualTo(status);
        assertThat(scenario.expectedError()).isEqualTo(error);
        assertThat(scenario.outcome()).isEqualTo(outcome);
        assertThat(scenario.target()).isEqualTo(target);
        assertThat(scenario.description()).isNotBlank();
    }

    @Test
    void listsEveryScenarioOnceWithTargetsFirst() {
        assertThat(Scenarios.all()).hasSize(Fault.values().length + 3)
                .extracting(Scenario::name).doesNotHaveDuplicates()
                .startsWith("connection-refused", "connect-timeout", "dns-error");
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyFaultHasExactlyOneScenarioNamedAfterItsPath(Fault fault) {
        assertThat(Scenarios.all()).filteredOn(s -> s.fault() == fault).singleElement()
                .satisfies(s -> assertThat("/fault/" + s.name()).isEqualTo(fault.path()));
    }

    @Test
    void scenarioUrisPointAtTheirTargets() {
        assertThat(Scenarios.named("connection-refused").uri(upstream)).isEqualTo(upstream.refusedUri());
        assertThat(Scenarios.named("connect-timeout").uri(upstream)).isEqualTo(upstream.connectTimeoutUri());
        assertThat(Scenarios.named("dns-error").uri(upstream)).isEqualTo(MisbehavingUpstream.unresolvableUri());
        assertThat(Scenarios.named("stall").uri(upstream)).isEqualTo(upstream.uri(Fault.STALL));
    }

    @Test
    void controlScenarioIsReallyServedByteForByte() throws Exception {
        URI uri = Scenarios.named("control-ok").uri(upstream);

        assertThat(RawClient.exchange(uri).text()).endsWith("\r\n\r\n" + MisbehavingUpstream.CONTROL_BODY);
    }

    @Test
    void slowHeadIsSlowerThanTheRecommendedResponseTimeoutButNeverIdleThatLong() {
        assertThat(MisbehavingUpstream.DEFAULT_TRICKLE_INTERVAL.multipliedBy(MisbehavingUpstream.SLOW_HEAD_PIECES))
                .isGreaterThan(Scenarios.RECOMMENDED_RESPONSE_TIMEOUT.multipliedBy(3).dividedBy(2));
        assertThat(MisbehavingUpstream.DEFAULT_TRICKLE_INTERVAL)
                .isLessThan(Scenarios.RECOMMENDED_RESPONSE_TIMEOUT.dividedBy(2));
    }

    @Test
    void namedRejectsUnknownNames() {
        assertThatThrownBy(() -> Scenarios.named("no-such-thing")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no-such-thing");
    }

    @Test
    void scenarioRejectsInconsistentParts() {
        assertThatThrownBy(() -> new Scenario("x", null, Target.FAULT_PATH, 502, "dns_error", Outcome.VERDICT, "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scenario("x", Fault.STALL, Target.REFUSED, 502, "dns_error", Outcome.VERDICT, "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scenario("x", Fault.STALL, Target.FAULT_PATH, 502, null, Outcome.VERDICT, "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scenario("x", Fault.UPSTREAM_500, Target.FAULT_PATH, 500, "x",
                Outcome.PASSED_THROUGH, "d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scenario("x", Fault.STALL, Target.FAULT_PATH, 99, "t", Outcome.VERDICT, "d"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringIsTheName() {
        assertThat(Scenarios.all().stream().map(Scenario::toString).collect(Collectors.toList()))
                .isEqualTo(Scenarios.all().stream().map(Scenario::name).collect(Collectors.toList()));
    }
}
