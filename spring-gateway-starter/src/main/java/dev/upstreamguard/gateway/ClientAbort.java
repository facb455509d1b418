package dev.upstreamguard.gateway;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Aborts a committed client response so the client sees truncation: the connection is closed
 * (HTTP/1.1) or the stream reset (HTTP/2, where the native connection is the stream's channel), and no
 * last-chunk is sent. Letting the error travel up is not enough: observed with an upstream reset mid-body
 * ("Connection reset by peer"), the server then completed the response normally — as WebFlux does when it
 * takes an error for the client having gone away — leaving a kept-alive response with 100 of 1000
 * announced bytes, which hangs the client.
 */
final class ClientAbort {

    private ClientAbort() {
    }

    /**
     * Whether the client's connection (or HTTP/2 stream) is closed: a failure seen now — typically Reactor Netty's
     * {@code AbortedException} for a write to that connection — is the client going away, not the upstream failing.
     * Only Reactor Netty's server is recognised; with another server this is always {@code false}.
     */
    static boolean clientGone(ServerHttpResponse response) {
        Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
        return nativeResponse instanceof Connection connection && !connection.channel().isActive();
    }

    /** Closes the client connection (or stream); errors with {@code error} when that is not possible. */
    static Mono<Void> abort(ServerHttpResponse response, Throwable error) {
        Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
        if (nativeResponse instanceof Connection) {
            ((Connection) nativeResponse).channel().close();
            return Mono.empty();
        }
        return Mono.error(error); // another server: let it abort the response its own way
    }
}
