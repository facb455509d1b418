package dev.upstreamguard.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CidrSetTest {

    static Stream<Arguments> membership() {
        return Stream.of(
                // ranges, address, expected
                arguments("127.0.0.0/8", "127.0.0.1", true),
                arguments("127.0.0.0/8", "127.255.255.255", true),
                arguments("127.0.0.0/8", "128.0.0.0", false),
                arguments("127.0.0.0/8", "126.255.255.255", false),
                arguments("10.1.0.0/16", "10.1.255.7", true),
                arguments("10.1.0.0/16", "10.2.0.1", false),
                arguments("192.168.1.0/25", "192.168.1.127", true),
                arguments("192.168.1.0/25", "192.168.1.128", false),
                arguments("192.168.1.77/32", "192.168.1.77", true),
                arguments("192.168.1.77/32", "192.168.1.78", false),
                arguments("192.168.1.77", "192.168.1.77", true),
                arguments("0.0.0.0/0", "255.255.255.255", true),
                arguments("0.0.0.0/0", "::1", false),
                arguments("::1/128", "::1", true),
                arguments("::1/128", "0:0:0:0:0:0:0:1", true),
                arguments("::1/128", "[::1]", true),
                arguments("::1/128", "::2", false),
                arguments("::/0", "2001:db8::1", true),
                arguments("::/0", "10.0.0.1", true),                 // through ::ffff:10.0.0.1
                arguments("2001:db8::/32", "2001:DB8:ffff::1", true),
                arguments("2001:db8::/32", "2001:db9::1", false),
                arguments("fe80::/10", "fe80::1%eth0", true),
                arguments("fe80::/10", "[fe80::1%25eth0]", true),
                arguments("fe80::/10", "fec0::1", false),
                arguments("2001:db8::/127", "2001:db8::1", true),
                arguments("2001:db8::/127", "2001:db8::2", false),
                arguments("127.0.0.0/8", "::ffff:127.0.0.1", true),  // IPv4-mapped: a dual-stack socket
                arguments("127.0.0.0/8", "[::ffff:7f00:1]", true),
                arguments("127.0.0.0/8", "::127.0.0.1", false),      // IPv4-compatible is not mapped
                arguments("::ffff:0:0/96", "10.9.8.7", true),
                arguments("::ffff:10.0.0.0/104", "10.200.0.1", true),
                arguments("::ffff:10.0.0.0/104", "11.0.0.1", false),
                arguments("::1/128", "127.0.0.1", false),
                arguments("127.0.0.0/8, ::1/128, 10.1.0.0/16", "10.1.2.3", true),
                arguments("", "127.0.0.1", false));
    }

    @ParameterizedTest(name = "{1} in [{0}] = {2}")
    @MethodSource("membership")
    void containsMatchesPrefixesBitByBit(String ranges, String address, boolean expected) {
        assertThat(CidrSet.parse(ranges).contains(address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", "1..2.3", "::1::",
            "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", ":1", "1:", "12345::", "g::1", "::1.2.3", "1.2.3.4::",
            "::ffff:1.2.3.4.5", "[::1", "1.2.3.\u0664", "[]"})
    void nonLiteralsAreNeverMembers(String candidate) {
        assertThat(CidrSet.parse("0.0.0.0/0, ::/0").contains(candidate)).as(candidate).isFalse();
    }

    @Test
    void nullIsNeverAMember() {
        assertThat(CidrSet.loopback().contains(null)).isFalse();
    }

    @Test
    void hostNamesAreNeverResolved() {
        // the test JVM's hosts file resolves "localhost" to loopback: if contains() looked it up, it would match
        assertThat(CidrSet.loopback().contains("localhost")).isFalse();
        // a name that would need the network to resolve: false at once, no exception
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(CidrSet.parse("0.0.0.0/0, ::/0").contains("trusted-client.example.invalid")).isFalse();
            assertThat(CidrSet.parse("0.0.0.0/0, ::/0").contains("1.2.3.4.nip.io")).isFalse();
        });
    }

    @Test
    void localhostReallyResolvesToLoopbackHereSoTheTestAboveCanFail() throws Exception {
        assertThat(CidrSet.loopback().contains(InetAddress.getByName("localhost").getHostAddress())).isTrue();
    }

    @Test
    void loopbackCoversBothFamilies() {
        assertThat(CidrSet.loopback().contains("127.0.0.1")).isTrue();
        assertThat(CidrSet.loopback().contains("::1")).isTrue();
        assertThat(CidrSet.loopback().contains("::ffff:127.0.0.2")).isTrue();
        assertThat(CidrSet.loopback().contains("192.0.2.1")).isFalse();
        assertThat(CidrSet.loopback()).hasToString("127.0.0.0/8, ::1/128");
    }

    static Stream<Arguments> invalidEntries() {
        return Stream.of(
                arguments("localhost", "'localhost' is not an IPv4 or IPv6 literal"),
                arguments("127.0.0.0/8, gateway.internal/32", "'gateway.internal' is not an IPv4 or IPv6 literal"),
                arguments("10.0.0.0/33", "prefix length must be a number from 0 to 32"),
                arguments("::/129", "prefix length must be a number from 0 to 128"),
                arguments("10.0.0.0/", "prefix length must be a number from 0 to 32"),
                arguments("10.0.0.0/-1", "prefix length must be a number from 0 to 32"),
                arguments("10.0.0.0/8/8", "prefix length must be a number from 0 to 32"),
                arguments("10.1.2.3/16", "bits are set after the /16 prefix (the network is 10.1.0.0/16)"),
                arguments("2001:db8::1/32", "(the network is 2001:db8:0:0:0:0:0:0/32)"),
                arguments("fe80::1%eth0/128", "is not an IPv4 or IPv6 literal"),
                arguments("[::1]/128", "is not an IPv4 or IPv6 literal"));
    }

    @ParameterizedTest
    @MethodSource("invalidEntries")
    void invalidEntriesAreNamedWithTheReasonAndTheAcceptedForms(String list, String reason) {
        assertThatThrownBy(() -> CidrSet.parse(list))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining("accepted forms")
                .hasMessageContaining("host names are not accepted");
    }

    @Test
    void nullListIsRefused() {
        assertThatThrownBy(() -> CidrSet.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accepted forms");
    }

    @Test
    void blankEntriesAreSkippedAndEqualSetsAreEqual() {
        assertThat(CidrSet.parse(" 127.0.0.0/8 ,, ::1/128 ,")).isEqualTo(CidrSet.loopback());
        assertThat(CidrSet.parse("")).isEqualTo(CidrSet.empty());
        assertThat(CidrSet.empty().isEmpty()).isTrue();
        assertThat(CidrSet.parse("::0001/128")).isEqualTo(CidrSet.parse("::1"))
                .hasSameHashCodeAs(CidrSet.parse("::1"));
    }
}
