package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamFailureException;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import java.util.List;

/**
 * Loop detection by {@code Via} (RFC 9110 §7.6.3): the gateway adds its pseudonym to every request it
 * sends upstream ({@code Via: 1.1 <pseudonym>}, after any elements the request carried), and refuses a
 * request that already carries it — it has come round through this gateway before — with 502
 * {@code proxy_loop_detected} (RFC 9209 §2.3.27) before any upstream is chosen or any limit consumed.
 * Other proxies' elements pass.
 */
public class UpstreamGuardViaFilter implements GlobalFilter, HttpHeadersFilter, Ordered {
    /** Just inside the starter's outer filter, which answers the loop. */
    public static final int ORDER = UpstreamGuardGlobalFilter.ORDER + 1;

    private static final UpstreamFailure LOOP = UpstreamFailure.of(ErrorType.PROXY_LOOP_DETECTED, Phase.ADMISSION)
            .withDetails("the request already passed through this gateway (Via)");

    private final ViaPseudonym pseudonym;

    /**
     * A filter with {@code configured} as pseudonym, or a random one when {@code null} or empty.
     *
     * @throws IllegalArgumentException when {@code configured} is not an HTTP token of 1–64 characters
     */
    public UpstreamGuardViaFilter(String configured) {
        this.pseudonym = ViaPseudonym.of(configured, UpstreamGuardGatewayProperties.PREFIX + ".via-pseudonym");
    }

    /** Our {@code received-by}. */
    public String pseudonym() {
        return pseudonym.name();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        // the raw field lines: HttpHeaders.getValuesAsList would drop the spaces that separate an element's parts
        List<String> via = exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.VIA);
        if (!via.isEmpty() && pseudonym.isIn(via)) {
            return Mono.error(new UpstreamFailureException(LOOP));
        }
        return chain.filter(exchange);
    }

    /** The request headers to the upstream, with our {@code Via} element appended. */
    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(input);
        headers.add(HttpHeaders.VIA, pseudonym.element(receivedProtocol(exchange.getRequest())));
        return headers;
    }

    /** RFC 9110 §7.6.3 received-protocol: the version only when the protocol is HTTP ({@code 1.1}, {@code 2}). */
    private static String receivedProtocol(ServerHttpRequest request) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        if (nativeRequest instanceof HttpServerRequest server) {
            io.netty.handler.codec.http.HttpVersion version = server.version();
            return version.majorVersion() >= 2 ? Integer.toString(version.majorVersion())
                    : version.majorVersion() + "." + version.minorVersion();
        }
        return "1.1";
    }
}
