package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;

/**
 * Jetty 12's client and HTTP parser. Its response parser reports violations as
 * {@code HttpException.RuntimeException} / {@code BadMessageException} wrapped in the client's
 * {@code HttpResponseException}; early EOF as {@code java.io.EOFException}; total and idle timeouts as
 * {@code java.util.concurrent.TimeoutException}; a full request queue as
 * {@code RejectedExecutionException}; a connect timeout as {@code SocketTimeoutException("Connect
 * Timeout")} (the last three are JDK types, see {@link JdkRules}).
 */
final class JettyRules {

    static final String ILLEGAL_CHARACTER = "illegal character in upstream response head";
    static final String COMPLIANCE = "upstream response violates the configured HTTP compliance mode";

    private JettyRules() {
    }

    static void register(RuleTable.Builder rules) {
        rules.on("org.eclipse.jetty.http.HttpException$RuntimeException", JettyRules::parserFailed);
        rules.on("org.eclipse.jetty.http.HttpException$IllegalArgumentException", JettyRules::parserFailed);
        rules.on("org.eclipse.jetty.http.BadMessageException", JettyRules::parserFailed);
        rules.on("org.eclipse.jetty.http.HttpParser$IllegalCharacterException", (t, observed) ->
                Recognition.exact(ErrorType.HTTP_PROTOCOL_ERROR, JdkRules.headPhase(observed), ILLEGAL_CHARACTER));
        rules.on("org.eclipse.jetty.http.ComplianceViolationException", (t, observed) ->
                Recognition.typed(ErrorType.HTTP_PROTOCOL_ERROR, JdkRules.headPhase(observed), COMPLIANCE));
        // "HTTP protocol violation: bad response on ..." around the parser's exception, which says more
        rules.on("org.eclipse.jetty.client.HttpResponseException", (t, observed) -> Recognition.of(Specificity.FALLBACK,
                ErrorType.HTTP_PROTOCOL_ERROR, JdkRules.headPhase(observed), JdkRules.PROTOCOL_VIOLATION));
    }

    private static Recognition parserFailed(Throwable t, Phase observed) {
        if (MessageSignals.jettyResponseHeadTooLarge(t.getMessage())) {
            return Recognition.exact(ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, Phase.READ_HEAD, JdkRules.HEAD_TOO_BIG);
        }
        return Recognition.typed(ErrorType.HTTP_PROTOCOL_ERROR, JdkRules.headPhase(observed), JdkRules.PROTOCOL_VIOLATION);
    }
}
