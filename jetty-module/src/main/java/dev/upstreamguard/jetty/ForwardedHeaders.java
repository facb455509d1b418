package dev.upstreamguard.jetty;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The de-facto {@code X-Forwarded-*} fields beside RFC 7239 {@code Forwarded} (which Jetty's
 * {@code ProxyHandler} adds): the client address is appended to {@code X-Forwarded-For}; the original
 * scheme and host are set unless a proxy in front already set them.
 */
final class ForwardedHeaders {

    private ForwardedHeaders() {
    }

    static void addXForwarded(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        String remote = Request.getRemoteAddr(clientToProxyRequest);
        String scheme = clientToProxyRequest.isSecure() ? "https" : "http";
        String host = clientToProxyRequest.getHeaders().get(HttpHeader.HOST);
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
            if (!headers.contains(HttpHeader.X_FORWARDED_PROTO)) {
                headers.put(HttpHeader.X_FORWARDED_PROTO, scheme);
            }
            if (host != null && !headers.contains(HttpHeader.X_FORWARDED_HOST)) {
                headers.put(HttpHeader.X_FORWARDED_HOST, host);
            }
        });
    }
}
