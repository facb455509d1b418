package dev.upstreamguard.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

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

    private boolean skipping;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
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
