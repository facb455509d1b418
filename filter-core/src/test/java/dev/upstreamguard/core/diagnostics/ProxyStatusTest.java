package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ProxyStatusTest {

    private static final String NAME = "upstream-guard";
    private static final String INTERNAL_HOST = "10.20.30.40:8443";

    /** A value of the RFC 9209 type of {@code parameter}: integers as Integer or Long, to cover both. */
    private static Object sample(String parameter) {
        switch (Rfc9209.PARAMETER_TYPES.get(parameter)) {
            case "integer": return parameter.hashCode() % 2 == 0 ? (Object) 4242 : (Object) 4242L;
            case "string": return "X-Huge \"Header\"";
            default: return "gzip";
        }
    }

    private static void assertRfcTyped(String parameter, Object parsed) {
        switch (Rfc9209.PARAMETER_TYPES.get(parameter)) {
            case "integer": assertThat(parsed).as(parameter).isEqualTo(4242L); break;
            case "string": assertThat(parsed).as(parameter).isEqualTo("X-Huge \"Header\""); break;
            default: assertThat(parsed).as(parameter).isEqualTo(new StrictSfList.Token("gzip"));
        }
    }

    private static UpstreamFailure failureWithAllExtraParameters(ErrorType type) {
        UpstreamFailure failure = UpstreamFailure.of(type, Phase.UNKNOWN)
                .withDetails("bare LF in header value near " + INTERNAL_HOST)
                .withCause(new java.net.ConnectException("Connection refused: " + INTERNAL_HOST));
        for (String p : Rfc9209.ERROR_TYPES.get(type.token()).extraParameters()) {
            failure = failure.withParameter(p, sample(p));
        }
        return failure;
    }

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void memberWritesTheErrorAndEachExtraParameterWithItsRfcTypeButNoDetailsWhenNotExposed(ErrorType type) {
        String member = ProxyStatus.member(NAME, failureWithAllExtraParameters(type), INTERNAL_HOST, false);

        List<StrictSfList.Member> parsed = StrictSfList.parse(member);
        assertThat(parsed).hasSize(1);
        assertThat(parsed.get(0).value()).isEqualTo(new StrictSfList.Token(NAME));
        Map<String, Object> params = parsed.get(0).params();
        List<String> expectedKeys = new ArrayList<>(List.of("error"));
        expectedKeys.addAll(Rfc9209.ERROR_TYPES.get(type.token()).extraParameters());
        assertThat(params.keySet()).containsExactlyElementsOf(expectedKeys);
        assertThat(params.get("error")).isEqualTo(new StrictSfList.Token(type.token()));
        params.forEach((k, v) -> {
            if (!k.equals("error")) {
                assertRfcTyped(k, v);
            }
        });
        assertThat(member).doesNotContain("10.20.30.40").doesNotContain("details").doesNotContain("next-hop");
    }

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void detailsAndNextHopAreAddedLastWhenExposed(ErrorType type) {
        String member = ProxyStatus.member(NAME, failureWithAllExtraParameters(type), INTERNAL_HOST, true);

        Map<String, Object> params = StrictSfList.parse(member).get(0).params();
        List<String> keys = new ArrayList<>(params.keySet());
        assertThat(keys.subList(keys.size() - 2, keys.size())).containsExactly("details", "next-hop");
        assertThat(params.get("details")).isEqualTo("bare LF in header value near " + INTERNAL_HOST);
        assertThat(params.get("next-hop")).isEqualTo("10.20.30.40:8443"); // not a token: starts with a digit
        assertThat(member).doesNotContain("Connection refused");
    }

    @Test
    void noNextHopOrDetailsWhenThereAreNone() {
        String member = ProxyStatus.member(NAME, UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT), null, true);

        assertThat(member).isEqualTo("upstream-guard;error=connection_refused");
    }

    @Test
    void aNameThatIsNotATokenIsQuoted() {
        String member = ProxyStatus.member("Edge Gateway", UpstreamFailure.of(ErrorType.DNS_TIMEOUT, Phase.RESOLVE), null, false);

        assertThat(member).isEqualTo("\"Edge Gateway\";error=dns_timeout");
    }

    @Test
    void parametersAreCoercedToTheirRfcTypeOrLeftOut() {
        UpstreamFailure failure = UpstreamFailure.of(ErrorType.HTTP_RESPONSE_HEADER_SIZE, Phase.READ_HEAD)
                .withParameter("header-size", "9000")          // numeric text for an Integer: converted
                .withParameter("header-name", 42)              // a number for a String: written as text
                .withParameter("body-size", "lots")            // text that is no Integer: left out
                .withParameter("trailer-size", 1_000_000_000_000_000L) // out of sf-integer range: left out
                .withParameter("Bad Key", "x")                 // not an RFC 8941 key: left out
                .withParameter("error", "http_protocol_error") // the type decides the error: ignored
                .withParameter("details", "leak " + INTERNAL_HOST)   // only the exposure policy adds details
                .withParameter("next-hop", INTERNAL_HOST)      // only the caller's nextHop, when exposed
                .withParameter("x-vendor-code", "E42 \u00e9")  // an extension: a String
                .withParameter("x-vendor-count", 7)            // an extension: an Integer
                .withParameter("coding", "not a token");       // Token required, not possible: a String

        String member = ProxyStatus.member(NAME, failure, null, false);

        assertThat(StrictSfList.parse(member).get(0).params()).containsExactly(
                entry("error", new StrictSfList.Token("http_response_header_size")),
                entry("header-size", 9000L),
                entry("header-name", "42"),
                entry("x-vendor-code", "E42 ?"),
                entry("x-vendor-count", 7L),
                entry("coding", "not a token"));
        assertThat(member).doesNotContain("10.20.30.40");
    }

    static List<String> nastyStrings() {
        return NastyStrings.all();
    }

    @ParameterizedTest
    @MethodSource("nastyStrings")
    void anyFailureContentGivesAParseableMember(String nasty) {
        UpstreamFailure failure = UpstreamFailure.of(ErrorType.HTTP_PROTOCOL_ERROR, Phase.READ_HEAD)
                .withParameter("header-name", nasty).withParameter("rcode", nasty).withParameter("coding", nasty)
                .withParameter("header-size", nasty).withDetails(nasty);

        String member = ProxyStatus.member(NAME, failure, nasty.isEmpty() ? null : nasty, true);

        assertThat(StrictSfList.parse(member)).hasSize(1);
        assertThat(StrictSfList.parse(member).get(0).params().get("details")).isEqualTo(NastyStrings.sfStringForm(nasty));
    }

    @Test
    void passThroughMemberCarriesTheReceivedStatus() {
        assertThat(ProxyStatus.passThroughMember(NAME, 503, "backend-a", false)).isEqualTo("upstream-guard;received-status=503");
        assertThat(ProxyStatus.passThroughMember(NAME, 503, "backend-a", true))
                .isEqualTo("upstream-guard;received-status=503;next-hop=backend-a");
        assertThat(ProxyStatus.passThroughMember(NAME, 42, null, true)).isEqualTo("upstream-guard");
    }

    // --- append: RFC 9209 §2, members ordered origin → client, received ones preserved

    static Stream<Arguments> existingValues() {
        return Stream.of(
                arguments("SomeOtherProxy"),
                arguments("origin-lb;error=http_response_timeout;details=\"a, b; c=\\\"d\\\"\", \"Example CDN\""),
                arguments("a;received-status=502;next-hop=\"10.0.0.1:80\",b,(x y);z=?1, :AQID:;k=1.5"));
    }

    @ParameterizedTest
    @MethodSource("existingValues")
    void appendKeepsReceivedMembersByteForByteAndAddsOursLast(String existing) {
        String ours = ProxyStatus.member(NAME, UpstreamFailure.of(ErrorType.CONNECTION_TIMEOUT, Phase.CONNECT), null, false);

        String combined = ProxyStatus.append(existing, ours);

        assertThat(combined).isEqualTo(existing + ", " + ours);
        List<StrictSfList.Member> before = StrictSfList.parse(existing);
        List<StrictSfList.Member> after = StrictSfList.parse(combined);
        assertThat(after).hasSize(before.size() + 1);
        assertThat(after.get(after.size() - 1).nameText()).isEqualTo(NAME);
    }

    @Test
    void appendToNothingIsJustOurs() {
        assertThat(ProxyStatus.append((String) null, "g")).isEqualTo("g");
        assertThat(ProxyStatus.append(" \t", "g")).isEqualTo("g");
        assertThat(ProxyStatus.append((List<String>) null, "g")).isEqualTo("g");
        assertThat(ProxyStatus.append(List.of(), "g")).isEqualTo("g");
    }

    @Test
    void appendCombinesSeveralFieldLinesInOrder() {
        List<String> lines = Arrays.asList("first;error=dns_error;rcode=\"NXDOMAIN\"", " ", null, " second , third ");

        String combined = ProxyStatus.append(lines, "upstream-guard");

        assertThat(combined).isEqualTo("first;error=dns_error;rcode=\"NXDOMAIN\", second , third, upstream-guard");
        assertThat(StrictSfList.parse(combined)).extracting(StrictSfList.Member::nameText)
                .containsExactly("first", "second", "third", "upstream-guard");
    }

    static Stream<Arguments> malformedReceivedValues() {
        return Stream.of(
                arguments(List.of("broken;=")),
                arguments(List.of("a, \"unterminated")),
                arguments(List.of("a,,b")),
                arguments(List.of("a,")),
                arguments(List.of("Upper;Key=1")),
                arguments(List.of("a;x=1234567890123456")),                // 16-digit integer
                arguments(List.of("a;x=\u00e9")),                          // non-ASCII
                arguments(List.of("(a b")),
                arguments(List.of("ok-member", "bad;;")),                  // one bad line spoils the field
                arguments(List.of("ok-member", "\"open", "close\" x")));
    }

    @ParameterizedTest
    @MethodSource("malformedReceivedValues")
    void aMalformedReceivedValueIsDroppedCountedAndOursSentAlone(List<String> received) {
        long before = ProxyStatus.droppedMalformedReceived();

        String combined = ProxyStatus.append(received, "g;received-status=502");

        assertThat(combined).isEqualTo("g;received-status=502");
        assertThat(ProxyStatus.droppedMalformedReceived()).isEqualTo(before + 1);
        if (received.size() == 1) {
            assertThat(ProxyStatus.append(received.get(0), "g")).isEqualTo("g");
            assertThat(ProxyStatus.droppedMalformedReceived()).isEqualTo(before + 2);
        }
    }

    @Test
    void aWellFormedValueSplitOverFieldLinesIsKept() {
        long before = ProxyStatus.droppedMalformedReceived();

        // neither line parses alone, the combined field does (RFC 9110 section 5.3, RFC 8941 section 4.2)
        String combined = ProxyStatus.append(List.of("a;details=\"x", "y\""), "g");

        assertThat(combined).isEqualTo("a;details=\"x, y\", g");
        assertThat(ProxyStatus.droppedMalformedReceived()).isEqualTo(before);
    }

    /**
     * Property: whatever the upstream sent — valid lists, mutated ones, garbage, split over field lines —
     * every value we emit parses with the strict RFC 8941 parser and ends with our member; a received
     * value that parses is kept byte for byte (OWS around lines aside), one that does not is dropped.
     */
    @Test
    void everyEmittedValueParsesStrictly() {
        Random random = new Random(8941_9209);
        String ours = ProxyStatus.member(NAME, UpstreamFailure.of(ErrorType.HTTP_PROTOCOL_ERROR, Phase.READ_HEAD)
                .withDetails("a \"quoted\" detail"), INTERNAL_HOST, true);
        int kept = 0;
        int dropped = 0;
        for (int n = 0; n < 20_000; n++) {
            String value = receivedValue(random);
            List<String> lines = splitIntoLines(value, random);
            String combinedReceived = combine(lines);
            boolean receivedOk = parsesStrictly(combinedReceived);

            for (String emitted : List.of(ProxyStatus.append(lines, ours), ProxyStatus.append(combinedReceived, ours))) {
                List<StrictSfList.Member> members = StrictSfList.parse(emitted);
                assertThat(members.get(members.size() - 1).nameText()).as("<%s>", value).isEqualTo(NAME);
                if (receivedOk && !combinedReceived.isEmpty()) {
                    assertThat(emitted).as("<%s>", value).isEqualTo(combinedReceived + ", " + ours);
                } else {
                    assertThat(emitted).as("<%s>", value).isEqualTo(ours);
                }
            }
            if (receivedOk) {
                kept++;
            } else {
                dropped++;
            }
        }
        assertThat(kept).as("valid values generated").isGreaterThan(2_000);
        assertThat(dropped).as("malformed values generated").isGreaterThan(2_000);
    }

    private static boolean parsesStrictly(String value) {
        try {
            StrictSfList.parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** How HTTP combines field lines (RFC 9110 section 5.3): OWS trimmed, blank lines skipped, joined by ", ". */
    private static String combine(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.replaceAll("^[ \t]+|[ \t]+$", "");
            if (!trimmed.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(trimmed);
            }
        }
        return sb.toString();
    }

    private static List<String> splitIntoLines(String value, Random random) {
        if (random.nextInt(3) != 0) {
            return List.of(value);
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == ',' && random.nextBoolean()) {
                lines.add(value.substring(start, i));
                start = i + 1;
            }
        }
        lines.add(value.substring(start));
        return lines;
    }

    /** A valid list, a mutated one, random garbage or a nasty string. */
    private static String receivedValue(Random random) {
        switch (random.nextInt(6)) {
            case 0: case 1: return validList(random);
            case 2: case 3: return mutate(validList(random), random);
            case 4: {
                String alphabet = "ab-guard\"\\;=,() \t:?*01.-/é\u00ff\u0000\r\n";
                StringBuilder sb = new StringBuilder();
                for (int k = random.nextInt(30); k > 0; k--) {
                    sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                return sb.toString();
            }
            default: {
                List<String> nasty = NastyStrings.all();
                String s = nasty.get(random.nextInt(nasty.size()));
                return s.length() > 300 ? s.substring(0, 300) : s;
            }
        }
    }

    private static String mutate(String valid, Random random) {
        String breakers = "\";,=()\\:?é\u0000\r\n \t";
        StringBuilder sb = new StringBuilder(valid);
        for (int k = 1 + random.nextInt(2); k > 0; k--) {
            int at = random.nextInt(sb.length() + 1);
            switch (random.nextInt(3)) {
                case 0: sb.insert(at, breakers.charAt(random.nextInt(breakers.length()))); break;
                case 1: if (at < sb.length()) { sb.deleteCharAt(at); } break;
                default: if (at < sb.length()) { sb.setCharAt(at, breakers.charAt(random.nextInt(breakers.length()))); }
            }
        }
        return sb.toString();
    }

    private static String validList(Random random) {
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(4) == 0) {
            sb.append("  ");
        }
        for (int m = 1 + random.nextInt(3); m > 0; m--) {
            if (random.nextInt(5) == 0) {
                sb.append('(');
                for (int k = random.nextInt(3); k > 0; k--) {
                    sb.append(bareItem(random)).append(parameters(random)).append(k > 1 ? " " : "");
                }
                sb.append(')');
            } else {
                sb.append(bareItem(random));
            }
            sb.append(parameters(random));
            if (m > 1) {
                sb.append(random.nextBoolean() ? ", " : random.nextBoolean() ? "," : " ,\t");
            }
        }
        return sb.toString();
    }

    private static String parameters(Random random) {
        StringBuilder sb = new StringBuilder();
        String[] keys = {"error", "details", "received-status", "next-hop", "rcode", "*x", "a.b_c-1"};
        for (int p = random.nextInt(4); p > 0; p--) {
            sb.append(';').append(random.nextInt(6) == 0 ? " " : "").append(keys[random.nextInt(keys.length)]);
            if (random.nextInt(5) != 0) {
                sb.append('=').append(bareItem(random));
            }
        }
        return sb.toString();
    }

    private static final String[] SF_STRINGS = {"\"\"", "\"a b\"", "\"a \\\" b\"", "\"x, y; z=(1)\"", "\"back\\\\slash\""};

    private static String bareItem(Random random) {
        switch (random.nextInt(7)) {
            case 0: return SF_STRINGS[random.nextInt(SF_STRINGS.length)];
            case 1: return Long.toString(random.nextLong() % 1_000_000_000_000_000L);
            case 2: return (random.nextBoolean() ? "-" : "") + random.nextInt(1_000_000) + "." + random.nextInt(1000);
            case 3: return ":" + java.util.Base64.getEncoder().encodeToString(new byte[random.nextInt(5)]) + ":";
            case 4: return random.nextBoolean() ? "?1" : "?0";
            case 5: return "*tok:en/x";
            default: return random.nextBoolean() ? "upstream-guard" : "Origin_LB";
        }
    }

    // --- containsMember: loop detection

    static Stream<Arguments> containsCases() {
        return Stream.of(
                arguments("upstream-guard", true),
                arguments("other, upstream-guard;error=connection_refused", true),
                arguments("\"upstream-guard\";received-status=200", true),
                arguments("a,\tupstream-guard", true),
                arguments("upstream-guard;error=x, \"unterminated", true),   // found before the error
                arguments("Upstream-Guard", false),                          // names compare exactly
                arguments("upstream-guard-2, xupstream-guard", false),
                arguments("other;details=\"upstream-guard\"", false),       // inside a parameter value
                arguments("other;next-hop=upstream-guard", false),
                arguments("(upstream-guard)", false),                       // an inner list is no name
                arguments("\"unterminated, upstream-guard", false),         // after the error
                arguments("other;=x, upstream-guard", false),
                arguments(",upstream-guard", false),
                arguments("", false),
                arguments("\u0000upstream-guard", false));
    }

    @ParameterizedTest
    @MethodSource("containsCases")
    void containsMemberFindsOurNameOnlyAsAMember(String value, boolean expected) {
        assertThat(ProxyStatus.containsMember(value, NAME)).isEqualTo(expected);
    }

    @Test
    void containsMemberReadsEachFieldLineOnItsOwn() {
        assertThat(ProxyStatus.containsMember(List.of("\"broken", "a, upstream-guard"), NAME)).isTrue();
        assertThat(ProxyStatus.containsMember(List.of("a", "b"), NAME)).isFalse();
        assertThat(ProxyStatus.containsMember((List<String>) null, NAME)).isFalse();
        assertThat(ProxyStatus.containsMember((String) null, NAME)).isFalse();
        assertThat(ProxyStatus.containsMember("upstream-guard", null)).isFalse();
    }

    @Test
    void containsMemberNeverThrowsOnGarbage() {
        Random random = new Random(8941);
        String alphabet = "upstream-guard\"\\;=,() \t:?*1.-é\u0000\r\n";
        for (int n = 0; n < 5_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(40); k > 0; k--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String value = sb.toString();
            assertThatCode(() -> ProxyStatus.containsMember(value, NAME)).as(value).doesNotThrowAnyException();
            boolean strictOk;
            try {
                StrictSfList.parse(value.replaceAll("^[ \t]+|[ \t]+$", "")); // HTTP strips OWS around values
                strictOk = true;
            } catch (IllegalArgumentException e) {
                strictOk = false;
            }
            assertThat(ProxyStatus.isWellFormed(value)).as("<%s>", value).isEqualTo(strictOk);
        }
    }
}
