package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailureException;

import java.util.Optional;

/**
 * The JDK's exceptions: {@code java.net}, {@code java.net.http}, {@code java.nio.channels},
 * {@code javax.net.ssl}, {@code java.security.cert} and {@code java.util.concurrent}. Registered by
 * name like every other library, so that all lookups go through one table.
 */
final class JdkRules {

    static final String RESOLVE_FAILED = "upstream host name could not be resolved";
    static final String REFUSED = "upstream refused the TCP connection";
    static final String UNROUTABLE = "no route to the upstream address";
    static final String TLS_CERTIFICATE = "TLS certificate could not be verified";
    static final String TLS_HANDSHAKE = "TLS handshake with upstream failed";
    static final String TLS_PROTOCOL = "TLS protocol error on the upstream connection";
    static final String TLS_ALERT = "upstream sent a fatal TLS alert";
    static final String PROTOCOL_VIOLATION = "upstream response violates HTTP/1.1 syntax";
    static final String BAD_CHUNK = "invalid chunked framing in upstream response";
    static final String HEAD_TOO_BIG = "upstream response head over the client's size limit";
    static final String TASK_REJECTED = "a task of the proxy was rejected by its executor";

    private JdkRules() {
    }

    static void register(RuleTable.Builder rules) {
        rules.on(UpstreamFailureException.class.getName(), (t, observed) ->
                new Recognition(((UpstreamFailureException) t).failure(), Specificity.VERDICT));

        rules.on("java.net.UnknownHostException", (t, observed) ->
                Recognition.typed(ErrorType.DNS_ERROR, Phase.RESOLVE, RESOLVE_FAILED));
        // the JDK HttpClient wraps it in two ConnectExceptions; it alone says what happened
        rules.on("java.nio.channels.UnresolvedAddressException", (t, observed) ->
                Recognition.exact(ErrorType.DNS_ERROR, Phase.RESOLVE, RESOLVE_FAILED));
        rules.on("java.net.ConnectException", JdkRules::connectFailed);
        rules.on("java.net.NoRouteToHostException", (t, observed) -> unroutable());
        rules.on("java.net.PortUnreachableException", (t, observed) ->
                Recognition.exact(ErrorType.CONNECTION_REFUSED, Phase.CONNECT, REFUSED));
        rules.on("java.net.BindException", (t, observed) -> null); // a local problem, not the upstream's
        rules.on("java.net.SocketException", JdkRules::socketFailed);
        rules.on("java.io.EOFException", (t, observed) -> PhaseVerdicts.closed(observed, Specificity.TYPED));
        rules.on("java.nio.channels.ClosedChannelException", (t, observed) ->
                PhaseVerdicts.closed(observed, Specificity.TYPED));
        rules.on("java.io.IOException", JdkRules::ioFailed);

        rules.on("java.net.SocketTimeoutException", JdkRules::socketTimedOut);
        rules.on("java.io.InterruptedIOException", (t, observed) -> MessageSignals.okHttpCallTimeout(t.getMessage())
                ? PhaseVerdicts.responseTimeout(observed, Specificity.TYPED)
                : null);
        rules.on("java.net.http.HttpConnectTimeoutException", (t, observed) ->
                PhaseVerdicts.connectTimeout(observed, Specificity.EXACT));
        rules.on("java.net.http.HttpTimeoutException", (t, observed) ->
                PhaseVerdicts.responseTimeout(observed, Specificity.TYPED));
        rules.on("java.util.concurrent.TimeoutException", (t, observed) ->
                PhaseVerdicts.responseTimeout(observed, Specificity.TYPED));
        rules.on("java.util.concurrent.RejectedExecutionException", JdkRules::rejected);

        rules.on("java.net.ProtocolException", JdkRules::protocolViolation);

        rules.on("javax.net.ssl.SSLException", JdkRules::tlsFailed);
        rules.on("javax.net.ssl.SSLHandshakeException", JdkRules::tlsFailed);
        rules.on("javax.net.ssl.SSLPeerUnverifiedException", (t, observed) -> certificate());
        rules.on("java.security.cert.CertificateException", (t, observed) -> certificate());
        rules.on("java.security.cert.CertPathValidatorException", (t, observed) -> certificate());
        rules.on("java.security.cert.CertPathBuilderException", (t, observed) -> certificate());
    }

    private static Recognition connectFailed(Throwable t, Phase observed) {
        if (MessageSignals.connectExceptionTimedOut(t.getMessage())) {
            return PhaseVerdicts.connectTimeout(observed, Specificity.EXACT);
        }
        if (MessageSignals.socketErrorUnroutable(t.getMessage())) {
            return unroutable();
        }
        return Recognition.typed(ErrorType.CONNECTION_REFUSED, Phase.CONNECT, REFUSED);
    }

    private static Recognition socketFailed(Throwable t, Phase observed) {
        if (MessageSignals.socketErrorUnroutable(t.getMessage())) {
            return unroutable();
        }
        return PhaseVerdicts.closed(observed, Specificity.TYPED);
    }

    private static Recognition unroutable() {
        return Recognition.exact(ErrorType.DESTINATION_IP_UNROUTABLE, Phase.CONNECT, UNROUTABLE);
    }

    /**
     * A plain {@code IOException}: the JDK {@code HttpClient} raises these for a head cut short and for
     * bad chunk framing, saying which only in the message; anything else is judged by the phase.
     */
    private static Recognition ioFailed(Throwable t, Phase observed) {
        String message = t.getMessage();
        if (MessageSignals.jdkHttpClientHeadCutShort(message)) {
            return PhaseVerdicts.closed(headPhase(observed), Specificity.EXACT);
        }
        if (MessageSignals.jdkHttpClientBadChunkSize(message)) {
            return Recognition.exact(ErrorType.HTTP_RESPONSE_TRANSFER_CODING, Phase.READ_BODY, BAD_CHUNK)
                    .with("coding", "chunked");
        }
        return PhaseVerdicts.ioFailure(observed);
    }

    /**
     * A {@code RejectedExecutionException}: an executor refused a task — a client's request queue that is
     * full (Jetty's "Max requests queued per destination"), a pool that is saturated or shutting down.
     * It means "the request never left" ({@code connection_limit_reached}, RFC 9209 §2.3.12, which a
     * retry may resend) only when it happened before the request was written: in {@code ADMISSION},
     * {@code RESOLVE}, {@code CONNECT} or {@code TLS_HANDSHAKE}, or in an unknown phase when the message
     * is Jetty's queue-full one, which is raised before any connection is used. Once the request was
     * being sent, or when nothing tells, the request may have reached the upstream, and the rejection is
     * the proxy's own failure, not the upstream's: {@code proxy_internal_error} (RFC 9209 §2.3.30) in the
     * observed phase, which is neither retried nor counted against the upstream's health.
     */
    private static Recognition rejected(Throwable t, Phase observed) {
        switch (observed) {
            case ADMISSION:
            case RESOLVE:
            case CONNECT:
            case TLS_HANDSHAKE:
                return PhaseVerdicts.limitReached(observed, Specificity.TYPED);
            case UNKNOWN:
                if (MessageSignals.jettyRequestQueueFull(t.getMessage())) {
                    return PhaseVerdicts.limitReached(observed, Specificity.TYPED);
                }
                return Recognition.typed(ErrorType.PROXY_INTERNAL_ERROR, observed, TASK_REJECTED);
            default:
                return Recognition.typed(ErrorType.PROXY_INTERNAL_ERROR, observed, TASK_REJECTED);
        }
    }

    private static Recognition socketTimedOut(Throwable t, Phase observed) {
        if (observed == Phase.CONNECT || MessageSignals.socketTimeoutIsConnect(t.getMessage())) {
            return PhaseVerdicts.connectTimeout(observed, Specificity.EXACT);
        }
        return PhaseVerdicts.readTimeout(observed, Specificity.TYPED);
    }

    private static Recognition protocolViolation(Throwable t, Phase observed) {
        Phase phase = headPhase(observed);
        if (MessageSignals.jdkHeaderSectionTooBig(t.getMessage())) {
            return Recognition.exact(ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, phase, HEAD_TOO_BIG);
        }
        return Recognition.typed(ErrorType.HTTP_PROTOCOL_ERROR, phase, PROTOCOL_VIOLATION);
    }

    /** A malformed head was being read, whatever the integration had seen so far. */
    static Phase headPhase(Phase observed) {
        return observed == Phase.READ_BODY ? observed : Phase.READ_HEAD;
    }

    private static Recognition tlsFailed(Throwable t, Phase observed) {
        String message = t.getMessage();
        if (MessageSignals.jdkSaysTlsAlertReceived(message)) {
            Recognition alert = Recognition.exact(ErrorType.TLS_ALERT_RECEIVED, tlsPhase(t, observed), TLS_ALERT);
            Optional<TlsAlert> known = MessageSignals.jdkReceivedTlsAlert(message);
            return known.map(a -> alert.with("alert-id", a.id()).with("alert-message", a.description())).orElse(alert);
        }
        if (t instanceof javax.net.ssl.SSLHandshakeException) {
            return Recognition.typed(ErrorType.TLS_PROTOCOL_ERROR, Phase.TLS_HANDSHAKE, TLS_HANDSHAKE);
        }
        // outside the handshake a plain SSLException usually wraps a broken connection: let that decide
        Specificity specificity = observed.responseStarted() || observed == Phase.AWAIT_RESPONSE
                || observed == Phase.SEND_REQUEST ? Specificity.FALLBACK : Specificity.TYPED;
        return Recognition.of(specificity, ErrorType.TLS_PROTOCOL_ERROR, tlsPhase(t, observed), TLS_PROTOCOL);
    }

    private static Phase tlsPhase(Throwable t, Phase observed) {
        // clients that cannot report the handshake say CONNECT, AWAIT_RESPONSE or nothing
        return t instanceof javax.net.ssl.SSLHandshakeException || !observed.responseStarted() ? Phase.TLS_HANDSHAKE : observed;
    }

    private static Recognition certificate() {
        return Recognition.exact(ErrorType.TLS_CERTIFICATE_ERROR, Phase.TLS_HANDSHAKE, TLS_CERTIFICATE);
    }
}
