package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;

/**
 * Apache HttpClient 5 and HttpCore 5, by class name. {@code ConnectTimeoutException} extends
 * {@code SocketTimeoutException} and {@code HttpHostConnectException} extends {@code ConnectException},
 * so each has its own rule ahead of the JDK's.
 */
final class ApacheRules {

    static final String NO_RESPONSE = "upstream closed the connection without sending a response";
    static final String HEAD_CONSTRAINT = "upstream response head over the client's line or header-count limit";
    static final String BODY_TOO_LONG = "upstream response body over the client's size limit";
    static final String UNSUPPORTED_SCHEME = "the upstream URI's scheme is not supported by the client";

    private ApacheRules() {
    }

    static void register(RuleTable.Builder rules) {
        rules.on("org.apache.hc.client5.http.ConnectTimeoutException", (t, observed) ->
                PhaseVerdicts.connectTimeout(observed, Specificity.EXACT));
        rules.on("org.apache.hc.client5.http.HttpHostConnectException", (t, observed) ->
                Recognition.exact(ErrorType.CONNECTION_REFUSED, Phase.CONNECT, JdkRules.REFUSED));
        rules.on("org.apache.hc.core5.http.NoHttpResponseException", (t, observed) ->
                Recognition.exact(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE, NO_RESPONSE));
        rules.on("org.apache.hc.core5.http.ConnectionClosedException", (t, observed) ->
                PhaseVerdicts.closedDefaultIncomplete(observed, Specificity.TYPED));
        rules.on("org.apache.hc.core5.http.RequestNotExecutedException", (t, observed) ->
                PhaseVerdicts.closed(observed.responseStarted() ? Phase.AWAIT_RESPONSE : observed, Specificity.EXACT));
        rules.on("org.apache.hc.core5.http.StreamClosedException", (t, observed) ->
                PhaseVerdicts.closed(observed, Specificity.TYPED));
        rules.on("org.apache.hc.core5.http.HttpStreamResetException", (t, observed) ->
                PhaseVerdicts.closed(observed, Specificity.TYPED));
        rules.on("org.apache.hc.core5.http.TruncatedChunkException", (t, observed) ->
                PhaseVerdicts.closed(Phase.READ_BODY, Specificity.EXACT));
        rules.on("org.apache.hc.core5.http.MalformedChunkCodingException", (t, observed) ->
                Recognition.exact(ErrorType.HTTP_RESPONSE_TRANSFER_CODING, Phase.READ_BODY, NettyRules.BAD_CHUNK)
                        .with("coding", "chunked"));
        rules.on("org.apache.hc.core5.http.MessageConstraintException", (t, observed) ->
                Recognition.exact(ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, Phase.READ_HEAD, HEAD_CONSTRAINT));
        rules.on("org.apache.hc.core5.http.ContentTooLongException", (t, observed) ->
                Recognition.exact(ErrorType.HTTP_RESPONSE_BODY_SIZE, Phase.READ_BODY, BODY_TOO_LONG));
        rules.on("org.apache.hc.core5.http.ProtocolException", (t, observed) ->
                Recognition.typed(ErrorType.HTTP_PROTOCOL_ERROR, JdkRules.headPhase(observed), JdkRules.PROTOCOL_VIOLATION));
        // the classic client's IOException wrapper around a core ProtocolException
        rules.on("org.apache.hc.client5.http.ClientProtocolException", (t, observed) -> Recognition.of(Specificity.FALLBACK,
                ErrorType.HTTP_PROTOCOL_ERROR, JdkRules.headPhase(observed), JdkRules.PROTOCOL_VIOLATION));
        rules.on("org.apache.hc.client5.http.UnsupportedSchemeException", (t, observed) ->
                Recognition.exact(ErrorType.PROXY_CONFIGURATION_ERROR, Phase.CONNECT, UNSUPPORTED_SCHEME));
        rules.on("org.apache.hc.core5.http.ConnectionRequestTimeoutException", (t, observed) ->
                PhaseVerdicts.limitReached(observed, Specificity.EXACT));
        rules.on("org.apache.hc.core5.util.DeadlineTimeoutException", (t, observed) ->
                PhaseVerdicts.limitReached(observed, Specificity.EXACT));
    }
}
