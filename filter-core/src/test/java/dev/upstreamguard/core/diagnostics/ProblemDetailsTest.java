package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ProblemDetailsTest {

    private static final String SECRET_HOST = "db-7.internal.example";
    private static final String SECRET_IP = "10.20.30.40";

    private static UpstreamFailure failureWithLeakyCause(ErrorType type) {
        return UpstreamFailure.of(type, Phase.CONNECT)
                .withParameter("rcode", "NXDOMAIN")
                .withDetails("bare LF in header value")
                .withCause(new ConnectException("Connection refused: " + SECRET_HOST + "/" + SECRET_IP + ":5432"));
    }

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void everyTypeGivesAStrictJsonProblemWithoutTheCause(ErrorType type) {
        Problem problem = ProblemDetails.forFailure(null, failureWithLeakyCause(type), type.recommendedStatus(),
                "req-42", false);

        String json = ProblemDetails.toJson(problem);

        Map<String, Object> parsed = StrictJson.parseObject(json);
        assertThat(parsed).containsExactly(
                entry("type", "https://github.com/upstreamguard/upstream-guard/blob/main/docs/errors.md#" + type.token()),
                entry("title", ErrorTexts.title(type)),
                entry("status", new BigDecimal(type.recommendedStatus())),
                entry("detail", ProblemDetails.genericDetail(type.recommendedStatus())),
                entry("error", type.token()),
                entry("request_id", "req-42"));
        assertThat(json).doesNotContain(SECRET_HOST).doesNotContain(SECRET_IP).doesNotContain("Connection refused")
                .doesNotContain("bare LF").doesNotContain("Exception");
    }

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void aboutBlankMakesTheTypeExactlyAboutBlankAndTheTitleTheStatusPhrase(ErrorType type) {
        Problem problem = ProblemDetails.forFailure("about:blank", failureWithLeakyCause(type), type.recommendedStatus(),
                "req-7", false);

        assertThat(StrictJson.parseObject(ProblemDetails.toJson(problem))).containsExactly(
                entry("type", "about:blank"),
                entry("title", ProblemDetails.statusPhrase(type.recommendedStatus())),
                entry("status", new BigDecimal(type.recommendedStatus())),
                entry("detail", ProblemDetails.genericDetail(type.recommendedStatus())),
                entry("error", type.token()),
                entry("request_id", "req-7"));
    }

    @Test
    void aboutBlankTitlesFollowTheStatusGivenNotTheType() {
        assertThat(ProblemDetails.forFailure("about:blank", UpstreamFailure.of(ErrorType.HTTP_REQUEST_ERROR,
                Phase.ADMISSION).withParameter("status-code", 429), 429, null, false).title()).isEqualTo("Too Many Requests");
        assertThat(ProblemDetails.forFailure("about:blank", UpstreamFailure.of(ErrorType.CONNECTION_TIMEOUT,
                Phase.CONNECT), 502, null, false).title()).isEqualTo("Bad Gateway");
    }

    @Test
    void statusPhrasesAreHttpsAndAnUnregisteredStatusGetsItsClassPhrase() {
        assertThat(ProblemDetails.statusPhrase(500)).isEqualTo("Internal Server Error");
        assertThat(ProblemDetails.statusPhrase(502)).isEqualTo("Bad Gateway");
        assertThat(ProblemDetails.statusPhrase(503)).isEqualTo("Service Unavailable");
        assertThat(ProblemDetails.statusPhrase(504)).isEqualTo("Gateway Timeout");
        assertThat(ProblemDetails.statusPhrase(403)).isEqualTo("Forbidden");
        assertThat(ProblemDetails.statusPhrase(429)).isEqualTo("Too Many Requests");
        assertThat(ProblemDetails.statusPhrase(599)).isEqualTo("Internal Server Error");
        assertThat(ProblemDetails.statusPhrase(499)).isEqualTo("Bad Request");
    }

    @Test
    void anotherBaseIsAPrefixEvenWhenItLooksLikeAboutBlank() {
        assertThat(ProblemDetails.forFailure("https://errors.example/about:blank#", UpstreamFailure.of(
                ErrorType.DNS_ERROR, Phase.RESOLVE), 502, null, false).type())
                .isEqualTo("https://errors.example/about:blank#dns_error");
    }

    @Test
    void exposedDetailsAreAddedButNeverTheCause() {
        Problem problem = ProblemDetails.forFailure("https://errors.example/", failureWithLeakyCause(
                ErrorType.HTTP_PROTOCOL_ERROR), 502, "r1", true);

        assertThat(problem.type()).isEqualTo("https://errors.example/http_protocol_error");
        assertThat(problem.detail()).isEqualTo(
                "The gateway could not get a valid response from the upstream server. Details: bare LF in header value");
        assertThat(ProblemDetails.toJson(problem)).doesNotContain(SECRET_HOST).doesNotContain(SECRET_IP)
                .doesNotContain("Connection refused");
    }

    @Test
    void theStatusIsTheOneGivenNotTheRecommendation() {
        Problem problem = ProblemDetails.forFailure(null,
                UpstreamFailure.of(ErrorType.HTTP_REQUEST_ERROR, Phase.ADMISSION).withParameter("status-code", 429),
                429, null, false);

        assertThat(problem.status()).isEqualTo(429);
        assertThat(problem.detail()).contains("Retry-After");
        assertThat(StrictJson.parseObject(ProblemDetails.toJson(problem))).doesNotContainKey("request_id");
    }

    static List<String> nastyStrings() {
        return NastyStrings.all();
    }

    @ParameterizedTest
    @MethodSource("nastyStrings")
    void anyTextRoundTripsThroughStrictJsonAsAscii(String nasty) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("note", nasty);
        Problem problem = new Problem("urn:x:" + nasty, nasty, 502, nasty, "http_protocol_error", nasty, extensions);

        String json = ProblemDetails.toJson(problem);

        assertThat(json.chars().allMatch(c -> c >= 0x20 && c < 0x7F)).as("pure printable ASCII").isTrue();
        String expected = withLoneSurrogatesReplaced(nasty);
        assertThat(StrictJson.parseObject(json)).containsExactly(
                entry("type", "urn:x:" + expected), entry("title", expected), entry("status", new BigDecimal(502)),
                entry("detail", expected), entry("error", "http_protocol_error"), entry("request_id", expected),
                entry("note", expected));
    }

    private static String withLoneSurrogatesReplaced(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                sb.append('\uFFFD');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    @Test
    void extensionValuesKeepTheirJsonTypesAndOrder() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("retry_after", 30);
        extensions.put("big", new BigInteger("123456789012345678901234567890"));
        extensions.put("ratio", 0.25d);
        extensions.put("exact", new BigDecimal("1E+3"));
        extensions.put("retryable", true);
        extensions.put("upstream", "orders");

        String json = ProblemDetails.toJson(new Problem(null, null, 503, null, null, null, extensions));

        assertThat(StrictJson.parseObject(json)).containsExactly(
                entry("status", new BigDecimal(503)),
                entry("retry_after", new BigDecimal(30)),
                entry("big", new BigDecimal("123456789012345678901234567890")),
                entry("ratio", new BigDecimal("0.25")),
                entry("exact", new BigDecimal("1E+3")),
                entry("retryable", true),
                entry("upstream", "orders"));
    }

    static Stream<Arguments> invalidExtensions() {
        return Stream.of(
                arguments("nan", Double.NaN), arguments("inf", Float.POSITIVE_INFINITY),
                arguments("object", new Object()), arguments("list", List.of(1)), arguments("nothing", null),
                arguments("error", "x"), arguments("request_id", "x"), arguments("instance", "x"));
    }

    @ParameterizedTest
    @MethodSource("invalidExtensions")
    void extensionsThatCannotBeWrittenSafelyAreRefused(String key, Object value) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put(key, value);

        assertThatThrownBy(() -> new Problem(null, "t", 500, null, null, null, extensions))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
    }

    @Test
    void statusMustBeAnHttpStatus() {
        assertThatThrownBy(() -> new Problem(null, null, 99, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Problem(null, null, 600, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extensionsAreFrozen() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("a", "b");
        Problem problem = new Problem(null, null, 500, null, null, null, extensions);
        extensions.put("c", "d");

        assertThat(problem.extensions()).containsOnlyKeys("a");
        assertThatThrownBy(() -> problem.extensions().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    static Stream<Arguments> acceptHeaders() {
        return Stream.of(
                arguments(null, true),
                arguments("", true),
                arguments("application/problem+json", true),
                arguments("application/json", true),
                arguments("Application/JSON; charset=utf-8", true),
                arguments("application/*", true),
                arguments("*/*", true),
                arguments("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", true),
                arguments("text/html", false),
                arguments("text/*, image/png", false),
                arguments("application/xml", false),
                arguments("application/json;q=0", false),
                arguments("application/json;q=0.000", false),
                arguments("application/json; q=0.001", true),
                arguments("text/html, */*;q=0", false),
                arguments("*/*;q=0, application/json", true),               // the more specific range wins
                arguments("application/*;q=0, */*", false),
                arguments("application/json;q=0, */*", true),               // problem+json still via */*
                arguments("application/json;q=0, application/problem+json;q=0, */*", false),
                arguments("text/plain;format=\"a,application/json\"", false), // a comma inside a quoted string
                arguments("application/json;q=bogus", true),                  // an invalid qvalue counts as 1
                arguments("garbage", false),
                arguments(",,", false));
    }

    @ParameterizedTest(name = "Accept: {0} -> {1}")
    @MethodSource("acceptHeaders")
    void clientAcceptsFollowsAcceptPrecedence(String accept, boolean expected) {
        assertThat(ProblemDetails.clientAccepts(accept)).isEqualTo(expected);
    }
}
