package dev.upstreamguard.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;

/**
 * After Netty's HTTP decoder on the upstream connection: drops interim (1xx) responses other than
 * {@code 100 Continue} (which Reactor Netty handles) and {@code 101 Switching Protocols} (which the
 * validator judges), together with the empty content Netty emits after each, so the final response
 * that follows is relayed. Reactor Netty would otherwise take a {@code 103 Early Hints} for the final
 * response. A proxy may not relay 1xx here: WebFlux has no way to send an interim response (RFC 9110
 * §15.2 allows a client to ignore them).
 */
final class InterimResponseSkipper extends ChannelInboundHandlerAdapter {
    static final String NAME = "upstream-guard.interim-responses";

    private boolean active = true;
    private boolean skipping;

    /**
     * Installs a skipper on a new HTTP/1.1 connection, where a handler added per request would go (just
     * before Reactor Netty's bridge), once for the connection's life: requests then only switch it on or
     * off ({@link #forRequest}), instead of adding and removing a pipeline handler each time.
     */
    static void install(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NAME) == null && pipeline.get(NettyPipeline.ReactiveBridge) != null) {
            InterimResponseSkipper skipper = new InterimResponseSkipper();
            skipper.active = false; // until a guarded request says otherwise
            pipeline.addBefore(NettyPipeline.ReactiveBridge, NAME, skipper);
        }
    }

    /**
     * Prepares {@code connection} for its next response: the installed skipper is switched on for a
     * guarded request and off for any other; a connection without one (not HTTP/1.1) gets one for this
     * request only when it is guarded (Reactor Netty removes it when the connection goes back to the pool).
     */
    static void forRequest(Connection connection, boolean guarded) {
        InterimResponseSkipper installed = (InterimResponseSkipper) connection.channel().pipeline().get(NAME);
        if (installed != null) {
            installed.active = guarded;
            installed.skipping = false;
        } else if (guarded) {
            connection.addHandlerLast(NAME, new InterimResponseSkipper());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!active) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpResponse && isSkippedInterim(((HttpResponse) msg).status().code())
                && ((HttpResponse) msg).decoderResult().isSuccess()) {
            skip(ctx, msg);
            return;
        }
        if (skipping && msg instanceof HttpContent) {
            skip(ctx, msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void skip(ChannelHandlerContext ctx, Object msg) {
        skipping = !(msg instanceof LastHttpContent);
        ReferenceCountUtil.release(msg);
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read(); // Reactor Netty reads on demand: nobody asked for what we swallowed, ask for the rest
        }
    }

    static boolean isSkippedInterim(int status) {
        return status >= 102 && status <= 199;
    }
}
