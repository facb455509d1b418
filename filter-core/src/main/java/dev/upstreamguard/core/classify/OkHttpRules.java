package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;

/**
 * OkHttp 4/5, by class name. Its connect and read timeouts are the JDK's {@code SocketTimeoutException}
 * and its call timeout an {@code InterruptedIOException("timeout")}; its status-line errors are the
 * JDK's {@code ProtocolException} (see {@link JdkRules}).
 */
final class OkHttpRules {

    static final String STREAM_REFUSED = "upstream refused the HTTP/2 stream before processing it";
    static final String CONNECTION_SHUT_DOWN = "upstream shut the HTTP/2 connection down before the stream started";

    private static final Reflective ERROR_CODE = new Reflective("errorCode");

    private OkHttpRules() {
    }

    static void register(RuleTable.Builder rules) {
        rules.on("okhttp3.internal.http2.StreamResetException", OkHttpRules::streamReset);
        rules.on("okhttp3.internal.http2.ConnectionShutdownException", (t, observed) ->
                Recognition.exact(ErrorType.CONNECTION_TERMINATED, observed.responseStarted() ? Phase.AWAIT_RESPONSE
                        : observed, CONNECTION_SHUT_DOWN));
    }

    /** {@code StreamResetException.errorCode} is OkHttp's {@code ErrorCode} enum; REFUSED_STREAM means nothing was processed. */
    private static Recognition streamReset(Throwable t, Phase observed) {
        Object code = ERROR_CODE.read(t);
        if (code != null && "REFUSED_STREAM".equals(code.toString())) {
            return Recognition.exact(ErrorType.CONNECTION_TERMINATED,
                    observed.responseStarted() ? Phase.AWAIT_RESPONSE : observed, STREAM_REFUSED);
        }
        return PhaseVerdicts.closed(observed, Specificity.TYPED);
    }
}
