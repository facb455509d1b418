package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorResponse;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/** Writes the core's {@link ErrorResponse} to a WebFlux response that is not committed yet. */
final class ErrorResponses {

    private ErrorResponses() {
    }

    /**
     * Replaces whatever the response held (status and every header, the upstream's included: a rejected
     * upstream head must not reach the client in part) with {@code error} plus {@code extraHeaders} (the
     * rate limit's fields), and writes its body.
     */
    static Mono<Void> write(ServerHttpResponse response, ErrorResponse error, List<Map.Entry<String, String>> extraHeaders) {
        response.setStatusCode(HttpStatusCode.valueOf(error.status()));
        HttpHeaders headers = response.getHeaders();
        headers.clear();
        for (Map.Entry<String, String> header : error.headers()) {
            headers.set(header.getKey(), header.getValue());
        }
        for (Map.Entry<String, String> header : extraHeaders) {
            headers.set(header.getKey(), header.getValue());
        }
        headers.setContentLength(error.body().length);
        DataBuffer body = response.bufferFactory().wrap(error.body());
        return response.writeWith(Mono.just(body));
    }
}
