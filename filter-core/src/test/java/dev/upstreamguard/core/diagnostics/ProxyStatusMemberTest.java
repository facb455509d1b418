package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.ErrorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class ProxyStatusMemberTest {

    @Test
    void aTokenNameIsWrittenAsAToken() {
        assertThat(ProxyStatusMember.named("upstream-guard").serialize()).isEqualTo("upstream-guard");
    }

    @Test
    void aNameThatIsNotATokenIsWrittenAsAString() {
        String serialized = ProxyStatusMember.named("Example \"Gateway\" 1").serialize();

        assertThat(serialized).isEqualTo("\"Example \\\"Gateway\\\" 1\"");
        assertThat(StrictSfList.parse(serialized).get(0).value()).isEqualTo("Example \"Gateway\" 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "caf\u00e9", "tab\there", "new\nline"})
    void namesNeitherFormCanCarryAreRefused(String name) {
        assertThatThrownBy(() -> ProxyStatusMember.named(name))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable ASCII");
    }

    @Test
    void parametersKeepTheirOrderAndAReplacedOneKeepsItsPlace() {
        String serialized = ProxyStatusMember.named("g").error(ErrorType.DNS_ERROR).param("rcode", "SERVFAIL")
                .param("info-code", 22).param("rcode", "NXDOMAIN").serialize();

        assertThat(serialized).isEqualTo("g;error=dns_error;rcode=\"NXDOMAIN\";info-code=22");
        assertThat(StrictSfList.parse(serialized).get(0).params()).containsExactly(
                entry("error", new StrictSfList.Token("dns_error")), entry("rcode", "NXDOMAIN"), entry("info-code", 22L));
    }

    @Test
    void invalidKeysAndOutOfRangeValuesAreRefused() {
        ProxyStatusMember member = ProxyStatusMember.named("g");

        assertThatThrownBy(() -> member.param("Header-Size", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> member.param("body-size", 1_000_000_000_000_000L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> member.receivedStatus(99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> member.receivedStatus(1000)).isInstanceOf(IllegalArgumentException.class);
        assertThat(member.serialize()).isEqualTo("g");
    }

    @Test
    void nextHopIsATokenWhenItCanBeAndAStringOtherwise() {
        assertThat(ProxyStatusMember.named("g").nextHop("backend.example.org:8001").serialize())
                .isEqualTo("g;next-hop=backend.example.org:8001");
        assertThat(ProxyStatusMember.named("g").nextHop("[::1]:8080").serialize())
                .isEqualTo("g;next-hop=\"[::1]:8080\"");
    }

    @Test
    void tokenParamFallsBackToAStringSoTheMemberStaysParseable() {
        String serialized = ProxyStatusMember.named("g").tokenParam("coding", "gzip, br").serialize();

        assertThat(StrictSfList.parse(serialized).get(0).params()).containsEntry("coding", "gzip, br");
    }

    static List<String> nastyStrings() {
        return NastyStrings.all();
    }

    @ParameterizedTest
    @MethodSource("nastyStrings")
    void detailsRoundTripThroughAStrictParser(String details) {
        String serialized = ProxyStatusMember.named("upstream-guard").error(ErrorType.HTTP_PROTOCOL_ERROR)
                .receivedStatus(200).details(details).serialize();

        List<StrictSfList.Member> parsed = StrictSfList.parse(serialized);
        assertThat(parsed).hasSize(1);
        assertThat(parsed.get(0).nameText()).isEqualTo("upstream-guard");
        assertThat(parsed.get(0).params()).containsExactly(
                entry("error", new StrictSfList.Token("http_protocol_error")),
                entry("received-status", 200L),
                entry("details", NastyStrings.sfStringForm(details)));
    }
}
