package dev.upstreamguard.gateway;

import dev.upstreamguard.core.Phase;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import io.netty.handler.timeout.ReadTimeoutHandler;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientInfos;
import reactor.netty.http.client.HttpResponseDecoderSpec;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Customizes the gateway's Reactor Netty {@code HttpClient}:
 * <ul>
 *   <li>its request/response callbacks move the exchange's {@link GuardedAttempt} from connecting to
 *       sending the request, awaiting the response (reading the head once a response byte came, noted by
 *       {@link ResponseHeadScanner}) and reading the body, so a failure is classified
 *       with the phase it happened in (a close before any response byte is {@code connection_terminated},
 *       after the head {@code http_response_incomplete});</li>
 *   <li>interim 1xx responses (but 100 and 101) are dropped so the final response is relayed;</li>
 *   <li>the raw bytes of each response head are read before Netty's decoder, which would cut a field name
 *       at a space and unfold obs-fold: such a head fails the attempt ({@code http_protocol_error}) and closes
 *       the connection ({@link ResponseHeadScanner});</li>
 *   <li>once the head has arrived, a body idle timeout ({@code upstream-guard.timeouts.idle}): no body byte for
 *       that long fails the exchange with Netty's {@code ReadTimeoutException} ({@code connection_read_timeout})
 *       and closes the upstream connection, so the client sees a truncated response, never a hang;</li>
 *   <li>when {@code decoderMaxHeaderSize} is positive, Netty's response-head limit is raised to it, so the
 *       guard's validator — which names the offending field — judges every head up to that size.</li>
 * </ul>
 */
public final class PhaseTrackingHttpClientCustomizer implements HttpClientCustomizer {

    /** The name of the body idle handler in the connection's pipeline. */
    static final String IDLE_HANDLER = "upstreamGuardBodyIdle";

    private final int decoderMaxHeaderSize;
    private final Duration bodyIdleTimeout;

    /** @param decoderMaxHeaderSize Netty's new head limit in bytes, or 0 to leave the gateway's */
    public PhaseTrackingHttpClientCustomizer(int decoderMaxHeaderSize) {
        this(decoderMaxHeaderSize, null);
    }

    /**
     * @param decoderMaxHeaderSize Netty's new head limit in bytes, or 0 to leave the gateway's
     * @param bodyIdleTimeout      the longest wait for the next body byte once the head arrived; {@code null} for none
     */
    public PhaseTrackingHttpClientCustomizer(int decoderMaxHeaderSize, Duration bodyIdleTimeout) {
        this.decoderMaxHeaderSize = decoderMaxHeaderSize;
        this.bodyIdleTimeout = bodyIdleTimeout == null || bodyIdleTimeout.isZero() || bodyIdleTimeout.isNegative()
                ? null : bodyIdleTimeout;
    }

    /** The body idle timeout, or {@code null} for none. */
    public Duration bodyIdleTimeout() {
        return bodyIdleTimeout;
    }

    /** Netty's head limit this customizer sets, or 0 when it leaves the gateway's. */
    public int decoderMaxHeaderSize() {
        return decoderMaxHeaderSize;
    }

    @Override
    public HttpClient customize(HttpClient client) {
        HttpClient tracked = client
                .doOnConnected(connection -> {
                    if (connection.channel().pipeline().get(NettyPipeline.HttpCodec) != null) { // HTTP/1.1
                        ResponseHeadScanner.install(connection.channel());
                    }
                })
                .doOnRequest((request, connection) -> {
                    GuardedAttempt attempt = attemptOf(request);
                    ResponseHeadScanner.expectResponse(connection.channel(), attempt);
                    if (attempt != null) {
                        attempt.advance(Phase.SEND_REQUEST);
                        // handlers added through the Connection are removed when it goes back to the pool
                        connection.addHandlerLast(InterimResponseSkipper.NAME, new InterimResponseSkipper());
                    }
                })
                .doAfterRequest((request, connection) -> move(request, Phase.AWAIT_RESPONSE))
                .doOnResponse((response, connection) -> {
                    move(response, Phase.READ_BODY);
                    if (bodyIdleTimeout != null) {
                        // removed when the connection goes back to the pool; on expiry Netty closes the connection
                        connection.addHandlerLast(IDLE_HANDLER,
                                new ReadTimeoutHandler(bodyIdleTimeout.toMillis(), TimeUnit.MILLISECONDS));
                    }
                });
        if (decoderMaxHeaderSize <= 0) {
            return tracked;
        }
        HttpResponseDecoderSpec current = tracked.configuration().decoder();
        // httpResponseDecoder starts from a fresh spec: carry over what the gateway (or the user) set
        return tracked.httpResponseDecoder(spec -> spec
                .maxInitialLineLength(current.maxInitialLineLength())
                .maxHeaderSize(Math.max(decoderMaxHeaderSize, current.maxHeaderSize()))
                .validateHeaders(current.validateHeaders())
                .initialBufferSize(current.initialBufferSize())
                .allowDuplicateContentLengths(current.allowDuplicateContentLengths())
                .allowPartialChunks(current.allowPartialChunks())
                .h2cMaxContentLength(current.h2cMaxContentLength()));
    }

    private static void move(HttpClientInfos infos, Phase phase) {
        GuardedAttempt attempt = attemptOf(infos);
        if (attempt != null) {
            attempt.advance(phase);
        }
    }

    private static GuardedAttempt attemptOf(HttpClientInfos infos) {
        return infos.currentContextView().getOrDefault(GuardedAttempt.KEY, null);
    }
}
