package dev.upstreamguard.gateway;

import dev.upstreamguard.core.Phase;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * First in an HTTP/1.1 upstream connection's pipeline, before Netty's HTTP decoder: notes that response
 * bytes arrived for the connection's current attempt, so a connection closed after part of the head is
 * told apart from one closed before any response byte (Reactor Netty reports both as "prematurely closed
 * BEFORE response"). Installed once per connection; each request names its attempt in a channel
 * attribute. Stateless, so one instance serves every connection.
 */
final class HeadBytesObserver extends ChannelInboundHandlerAdapter {
    static final String NAME = "upstream-guard.head-bytes";
    static final HeadBytesObserver INSTANCE = new HeadBytesObserver();

    private static final AttributeKey<GuardedAttempt> CURRENT = AttributeKey.valueOf(HeadBytesObserver.class.getName());

    private HeadBytesObserver() {
    }

    /** Installs the observer on a new connection, before the HTTP codec; once. */
    static void install(Channel channel) {
        if (channel.pipeline().get(NAME) == null) {
            channel.pipeline().addFirst(NAME, INSTANCE);
        }
    }

    /** The attempt the next response bytes on {@code channel} belong to. */
    static void attach(Channel channel, GuardedAttempt attempt) {
        channel.attr(CURRENT).set(attempt);
    }

    @Override
    public boolean isSharable() {
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
            GuardedAttempt attempt = ctx.channel().attr(CURRENT).get();
            if (attempt != null) {
                attempt.advance(Phase.READ_HEAD); // never moves back from READ_BODY
            }
        }
        ctx.fireChannelRead(msg);
    }
}
