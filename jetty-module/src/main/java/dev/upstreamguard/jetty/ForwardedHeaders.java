package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

import java.util.List;

/**
 * The forwarded fields sent upstream: RFC 7239 {@code Forwarded} (which Jetty's {@code ProxyHandler} adds)
 * and the de-facto {@code X-Forwarded-*}. As with Tomcat's {@code RemoteIpValve} and Spring's forwarded-header
 * handling, a client's own forwarded fields are believed only when the client is a trusted proxy:
 * <ul>
 *   <li>from a trusted proxy they are kept, {@code Forwarded} and {@code X-Forwarded-For} extended with the
 *       client's address, and {@code X-Forwarded-Proto/Host/Port} set only when the proxy did not set them;</li>
 *   <li>from anyone else they are removed ({@link #removeUntrusted}, before {@code Forwarded} is added) and
 *       replaced with what this proxy saw: the client's address, the request's scheme, {@code Host} and the
 *       port the client connected to.</li>
 * </ul>
 */
final class ForwardedHeaders {

    /** The fields a client could use to claim another address, scheme, host, port or path prefix. */
    private static final List<String> FORWARDED_FIELDS = List.of(HttpHeader.FORWARDED.asString(),
            HttpHeader.X_FORWARDED_FOR.asString(), HttpHeader.X_FORWARDED_PROTO.asString(),
            HttpHeader.X_FORWARDED_HOST.asString(), HttpHeader.X_FORWARDED_PORT.asString(),
            HttpHeader.X_FORWARDED_SERVER.asString(), "X-Forwarded-Prefix", "X-Forwarded-Ssl");

    private ForwardedHeaders() {
    }

    /** Removes the client's forwarded fields from the upstream request unless the client is in {@code trustedProxies}. */
    static void removeUntrusted(CidrSet trustedProxies, Request clientToProxyRequest,
                                org.eclipse.jetty.client.Request proxyToServerRequest) {
        if (trustedProxies.contains(Request.getRemoteAddr(clientToProxyRequest))) {
            return;
        }
        proxyToServerRequest.headers(headers -> FORWARDED_FIELDS.forEach(headers::remove));
    }

    /** Appends the client's address to {@code X-Forwarded-For}; sets proto, host and port unless present. */
    static void addXForwarded(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        String remote = Request.getRemoteAddr(clientToProxyRequest);
        String scheme = clientToProxyRequest.isSecure() ? "https" : "http";
        String host = clientToProxyRequest.getHeaders().get(HttpHeader.HOST);
        if (host == null) {
            host = clientToProxyRequest.getHttpURI().getAuthority(); // HTTP/2 and 3: :authority
        }
        String port = String.valueOf(Request.getLocalPort(clientToProxyRequest));
        String originalHost = host;
        proxyToServerRequest.headers(headers -> {
            headers.computeField(HttpHeader.X_FORWARDED_FOR, (header, fields) -> {
                if (fields == null || fields.isEmpty()) {
                    return new HttpField(header, remote);
                }
                StringBuilder joined = new StringBuilder();
                for (HttpField field : fields) {
                    joined.append(field.getValue()).append(", ");
                }
                return new HttpField(header, joined.append(remote).toString());
            });
            putIfAbsent(headers, HttpHeader.X_FORWARDED_PROTO, scheme);
            putIfAbsent(headers, HttpHeader.X_FORWARDED_HOST, originalHost);
            putIfAbsent(headers, HttpHeader.X_FORWARDED_PORT, port);
        });
    }

    private static void putIfAbsent(HttpFields.Mutable headers, HttpHeader header, String value) {
        if (value != null && !value.isEmpty() && !headers.contains(header)) {
            headers.put(header, value);
        }
    }
}
