package dev.upstreamguard.gateway;

import org.springframework.http.server.reactive.ServerHttpRequest;

import java.net.InetSocketAddress;

/** The client's IP literal, as the exposure policy and the rate limiter need it. */
final class RemoteAddresses {

    private RemoteAddresses() {
    }

    /** The connection's peer address as an IP literal, or {@code null} when unknown (never resolved). */
    static String of(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
    }
}
