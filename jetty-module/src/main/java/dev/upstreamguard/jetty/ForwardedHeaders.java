package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

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
    private static final String[] FORWARDED_FIELDS = {HttpHeader.FORWARDED.asString(),
            HttpHeader.X_FORWARDED_FOR.asString(), HttpHeader.X_FORWARDED_PROTO.asString(),
            HttpHeader.X_FORWARDED_HOST.asString(), HttpHeader.X_FORWARDED_PORT.asString(),
            HttpHeader.X_FORWARDED_SERVER.asString(), "X-Forwarded-Prefix", "X-Forwarded-Ssl"};

    private ForwardedHeaders() {
    }

    /**
     * Removes the client's forwarded fields from the upstream request unless the client is in
     * {@code trustedProxies}. With no trusted proxy (the default) the client's address is not even read, and
     * a request without forwarded fields (the usual case) is only looked at: nothing is allocated.
     */
    static void removeUntrusted(CidrSet trustedProxies, Request clientToProxyRequest,
                                org.eclipse.jetty.client.Request proxyToServerRequest) {
        if (!trustedProxies.isEmpty() && trustedProxies.contains(Request.getRemoteAddr(clientToProxyRequest))) {
            return;
        }
        if (!hasForwardedField(proxyToServerRequest.getHeaders())) {
            return;
        }
        proxyToServerRequest.headers(headers -> {
            for (String name : FORWARDED_FIELDS) {
                headers.remove(name);
            }
        });
    }

    private static boolean hasForwardedField(HttpFields fields) {
        for (int i = 0, n = fields.size(); i < n; i++) {
            HttpField field = fields.getField(i);
            for (String name : FORWARDED_FIELDS) {
                if (field.is(name)) {
                    return true;
                }
            }
        }
        return false;
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
        // one pass over the fields instead of an iterator (or a stream) per question
        boolean hasFor = false;
        boolean hasProto = false;
        boolean hasHost = false;
        boolean hasPort = false;
        HttpFields present = proxyToServerRequest.getHeaders();
        for (int i = 0, n = present.size(); i < n; i++) {
            HttpHeader header = present.getField(i).getHeader();
            if (header == HttpHeader.X_FORWARDED_FOR) {
                hasFor = true;
            } else if (header == HttpHeader.X_FORWARDED_PROTO) {
                hasProto = true;
            } else if (header == HttpHeader.X_FORWARDED_HOST) {
                hasHost = true;
            } else if (header == HttpHeader.X_FORWARDED_PORT) {
                hasPort = true;
            }
        }
        String forwardedFor = hasFor ? joined(present, remote) : remote;
        String originalHost = hasHost ? null : host;
        String forwardedProto = hasProto ? null : scheme;
        String forwardedPort = hasPort ? null : port;
        proxyToServerRequest.headers(headers -> {
            // put: in place of the first X-Forwarded-For (the others removed), else appended
            headers.put(new HttpField(HttpHeader.X_FORWARDED_FOR, forwardedFor));
            putIfSet(headers, HttpHeader.X_FORWARDED_PROTO, forwardedProto);
            putIfSet(headers, HttpHeader.X_FORWARDED_HOST, originalHost);
            putIfSet(headers, HttpHeader.X_FORWARDED_PORT, forwardedPort);
        });
    }

    /** The values of every {@code X-Forwarded-For} line, in order, then {@code remote}. */
    private static String joined(HttpFields fields, String remote) {
        StringBuilder joined = new StringBuilder();
        for (int i = 0, n = fields.size(); i < n; i++) {
            HttpField field = fields.getField(i);
            if (field.getHeader() == HttpHeader.X_FORWARDED_FOR) {
                joined.append(field.getValue()).append(", ");
            }
        }
        return joined.append(remote).toString();
    }

    private static void putIfSet(HttpFields.Mutable headers, HttpHeader header, String value) {
        if (value != null && !value.isEmpty()) {
            headers.put(header, value);
        }
    }
}
