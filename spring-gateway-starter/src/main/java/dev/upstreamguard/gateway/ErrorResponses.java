package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorResponse;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.Map;

/** Writes the core's answer in place of the upstream's response. */
final class ErrorResponses {

    private ErrorResponses() {
    }

    /**
     * Replaces the upstream's part of the response with {@code error}: the upstream connection is closed (a
     * response we do not relay is never returned to the pool), the fields the routing filter copied from the
     * upstream are removed, and the error's status, fields and body are written. Fields the gateway's own
     * filters set for the client — CORS, security headers, trace ids — stay.
     */
    static Mono<Void> write(ServerWebExchange exchange, ErrorResponse error) {
        ServerWebExchangeUtils.reset(exchange);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(error.status()));
        HttpHeaders headers = response.getHeaders();
        for (Map.Entry<String, String> header : error.headers()) {
            headers.set(header.getKey(), header.getValue());
        }
        headers.setContentLength(error.body().length);
        DataBuffer body = response.bufferFactory().wrap(error.body());
        return response.writeWith(Mono.just(body));
    }
}
