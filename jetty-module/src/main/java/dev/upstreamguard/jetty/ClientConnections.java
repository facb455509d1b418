package dev.upstreamguard.jetty;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Request;

/**
 * Whether a failure Jetty reports for a client's request means that the client went away. Over HTTP/2 and
 * HTTP/3 a failed request is its stream's reset: the client gave up on it. Over HTTP/1.x the same listener also
 * hears the failure of the request's body when the upstream attempt that was streaming it failed; the client is
 * gone only when its connection is closed (or its input shut down).
 */
final class ClientConnections {

    private ClientConnections() {
    }

    static boolean gone(Request request) {
        ConnectionMetaData meta = request.getConnectionMetaData();
        if (meta.getHttpVersion().getVersion() >= HttpVersion.HTTP_2.getVersion()) {
            return true;
        }
        EndPoint endPoint = meta.getConnection().getEndPoint();
        return !endPoint.isOpen() || endPoint.isInputShutdown();
    }
}
