package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;

/**
 * Netty 4.2, Reactor Netty 1.x and Spring Cloud Gateway: the reactive stack. Netty's
 * {@code AnnotatedConnectException}, {@code AnnotatedNoRouteToHostException} and
 * {@code StacklessClosedChannelException} extend JDK types and need no rule of their own.
 */
final class NettyRules {

    static final String RESOLVER_FAILED = "resolver failed to resolve the upstream host name";
    static final String HEAD_TOO_LONG = "upstream response head over the decoder's size limit";
    static final String STATUS_LINE_TOO_LONG = "upstream status line over the decoder's size limit";
    static final String BODY_TOO_LONG = "upstream response body over the aggregator's size limit";
    static final String BAD_LINE_SEPARATOR = "invalid line separator in upstream response head";
    static final String CONTENT_LENGTH_NOT_ALLOWED = "Content-Length not allowed on this upstream response";
    static final String TRANSFER_ENCODING_NOT_ALLOWED = "Transfer-Encoding not allowed on this upstream response";
    static final String CORRUPTED = "upstream response could not be decoded";
    static final String NOT_TLS = "upstream did not answer with TLS records";

    private static final String[] POOL_LIMITS = {
        "reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException",
        "reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException",
        "reactor.pool.PoolAcquireTimeoutException",
        "reactor.pool.PoolAcquirePendingLimitException",
        "io.netty.channel.pool.FixedChannelPool$AcquireTimeoutException",
        "io.netty.channel.pool.SimpleChannelPool$ChannelPoolFullException",
    };

    private static final Reflective DNS_CODE = new Reflective("getCode");
    private static final Reflective INT_VALUE = new Reflective("intValue");

    private NettyRules() {
    }

    static void register(RuleTable.Builder rules) {
        rules.on("io.netty.channel.ConnectTimeoutException", (t, observed) ->
                PhaseVerdicts.connectTimeout(observed, Specificity.EXACT));
        rules.on("io.netty.handler.timeout.TimeoutException", (t, observed) ->
                PhaseVerdicts.readTimeout(observed, Specificity.TYPED));
        rules.on("io.netty.handler.timeout.ReadTimeoutException", (t, observed) ->
                PhaseVerdicts.readTimeout(observed, Specificity.TYPED));
        rules.on("io.netty.handler.timeout.WriteTimeoutException", (t, observed) ->
                PhaseVerdicts.writeTimeout(observed, Specificity.EXACT));
        rules.on("io.netty.handler.ssl.SslHandshakeTimeoutException", (t, observed) ->
                PhaseVerdicts.connectTimeout(Phase.TLS_HANDSHAKE, Specificity.EXACT));
        rules.on("io.netty.handler.ssl.NotSslRecordException", (t, observed) ->
                Recognition.exact(ErrorType.TLS_PROTOCOL_ERROR, Phase.TLS_HANDSHAKE, NOT_TLS));

        rules.on("io.netty.resolver.dns.DnsNameResolverTimeoutException", (t, observed) ->
                Recognition.exact(ErrorType.DNS_TIMEOUT, Phase.RESOLVE, PhaseVerdicts.RESOLVE_TIMED_OUT));
        rules.on("io.netty.resolver.dns.DnsNameResolverException", (t, observed) ->
                Recognition.typed(ErrorType.DNS_ERROR, Phase.RESOLVE, RESOLVER_FAILED));
        rules.on("io.netty.resolver.dns.DnsErrorCauseException", NettyRules::dnsErrorCode);

        rules.on("io.netty.handler.codec.DecoderException", (t, observed) -> Recognition.of(Specificity.FALLBACK,
                ErrorType.HTTP_PROTOCOL_ERROR, JdkRules.headPhase(observed), CORRUPTED));
        rules.on("io.netty.handler.codec.CorruptedFrameException", (t, observed) ->
                Recognition.typed(ErrorType.HTTP_PROTOCOL_ERROR, JdkRules.headPhase(observed), CORRUPTED));
        rules.on("io.netty.handler.codec.TooLongFrameException", (t, observed) ->
                Recognition.typed(ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, Phase.READ_HEAD, HEAD_TOO_LONG));
        rules.on("io.netty.handler.codec.http.TooLongHttpHeaderException", (t, observed) ->
                Recognition.exact(ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, Phase.READ_HEAD, HEAD_TOO_LONG));
        rules.on("io.netty.handler.codec.http.TooLongHttpLineException", (t, observed) ->
                Recognition.exact(ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, Phase.READ_HEAD, STATUS_LINE_TOO_LONG));
        rules.on("io.netty.handler.codec.http.TooLongHttpContentException", (t, observed) ->
                Recognition.exact(ErrorType.HTTP_RESPONSE_BODY_SIZE, Phase.READ_BODY, BODY_TOO_LONG));
        rules.on("io.netty.handler.codec.http.InvalidChunkExtensionException", (t, observed) -> badChunk());
        rules.on("io.netty.handler.codec.http.InvalidChunkTerminationException", (t, observed) -> badChunk());
        rules.on("io.netty.handler.codec.http.InvalidLineSeparatorException", (t, observed) ->
                Recognition.exact(ErrorType.HTTP_PROTOCOL_ERROR, JdkRules.headPhase(observed), BAD_LINE_SEPARATOR));
        rules.on("io.netty.handler.codec.http.ContentLengthNotAllowedException", (t, observed) ->
                Recognition.exact(ErrorType.HTTP_PROTOCOL_ERROR, Phase.READ_HEAD, CONTENT_LENGTH_NOT_ALLOWED));
        rules.on("io.netty.handler.codec.http.TransferEncodingNotAllowedException", (t, observed) ->
                Recognition.exact(ErrorType.HTTP_PROTOCOL_ERROR, Phase.READ_HEAD, TRANSFER_ENCODING_NOT_ALLOWED));
        rules.on("io.netty.handler.codec.PrematureChannelClosureException", (t, observed) ->
                PhaseVerdicts.closed(observed, Specificity.TYPED));

        rules.on("java.lang.IllegalArgumentException", NettyRules::decoderResultFailure);
        rules.on("reactor.netty.http.client.PrematureCloseException", NettyRules::prematureClose);
        rules.on("reactor.netty.channel.AbortedException", (t, observed) ->
                PhaseVerdicts.closed(observed, Specificity.TYPED));
        for (String poolLimit : POOL_LIMITS) {
            rules.on(poolLimit, (t, observed) -> PhaseVerdicts.limitReached(observed, Specificity.EXACT));
        }
        rules.on("org.springframework.cloud.gateway.support.TimeoutException", (t, observed) ->
                PhaseVerdicts.responseTimeout(observed, Specificity.EXACT));
    }

    /** A raw IllegalArgumentException/NumberFormatException is ours only when Netty's HTTP decoder threw it. */
    private static Recognition decoderResultFailure(Throwable t, Phase observed) {
        switch (NettyDecoderOrigin.of(t)) {
            case HEAD:
                return Recognition.typed(ErrorType.HTTP_PROTOCOL_ERROR, JdkRules.headPhase(observed), CORRUPTED);
            case CHUNK_SIZE:
                return badChunk();
            default:
                return null;
        }
    }

    private static Recognition badChunk() {
        return Recognition.exact(ErrorType.HTTP_RESPONSE_TRANSFER_CODING, Phase.READ_BODY, JdkRules.BAD_CHUNK)
                .with("coding", "chunked");
    }

    private static Recognition prematureClose(Throwable t, Phase observed) {
        switch (MessageSignals.reactorPrematureClose(t.getMessage())) {
            case BEFORE_RESPONSE:
                // Reactor's "response" is the complete head: an integration that saw part of it knows better
                return PhaseVerdicts.closed(observed == Phase.SEND_REQUEST || observed.responseStarted()
                        ? observed : Phase.AWAIT_RESPONSE, Specificity.TYPED);
            case DURING_RESPONSE:
                return PhaseVerdicts.closed(observed.responseStarted() ? observed : Phase.READ_BODY, Specificity.TYPED);
            default:
                return PhaseVerdicts.closed(observed, Specificity.TYPED);
        }
    }

    /** {@code DnsErrorCauseException#getCode()} returns Netty's {@code DnsResponseCode}; its {@code intValue()} is the RCODE. */
    private static Recognition dnsErrorCode(Throwable t, Phase observed) {
        Recognition error = Recognition.exact(ErrorType.DNS_ERROR, Phase.RESOLVE, RESOLVER_FAILED);
        Object value = INT_VALUE.read(DNS_CODE.read(t));
        if (value instanceof Integer) {
            return DnsRcode.name((Integer) value).map(name -> error.with("rcode", name)).orElse(error);
        }
        return error;
    }
}
