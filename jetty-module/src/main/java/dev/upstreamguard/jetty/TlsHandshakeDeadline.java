package dev.upstreamguard.jetty;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamFailureException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.util.thread.Scheduler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;

/**
 * A deadline for the TLS handshake with an upstream, which Jetty's client does not have (its connect
 * timeout ends with TCP). Registered as a client bean, it is told of every new TLS connection; when the
 * handshake has not finished in time the connection is closed with {@code connection_timeout} in the
 * TLS phase (RFC 9209 §2.3.9).
 */
final class TlsHandshakeDeadline implements Connection.Listener, SslHandshakeListener {
    private final HttpClient client;
    private final long timeoutMillis;
    private final Map<SSLEngine, Scheduler.Task> pending = new ConcurrentHashMap<>();

    TlsHandshakeDeadline(HttpClient client, long timeoutMillis) {
        this.client = client;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof SslConnection)) {
            return;
        }
        SslConnection tls = (SslConnection) connection;
        pending.computeIfAbsent(tls.getSSLEngine(), engine -> client.getScheduler().schedule(() -> {
            pending.remove(engine);
            UpstreamFailure late = new UpstreamFailure(ErrorType.CONNECTION_TIMEOUT, Phase.TLS_HANDSHAKE, Map.of(),
                    "TLS handshake with upstream not completed within " + timeoutMillis + " ms", null);
            tls.getEndPoint().close(new UpstreamFailureException(late));
        }, timeoutMillis, TimeUnit.MILLISECONDS));
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof SslConnection) {
            cancel(((SslConnection) connection).getSSLEngine());
        }
    }

    @Override
    public void handshakeSucceeded(Event event) {
        cancel(event.getSSLEngine());
    }

    @Override
    public void handshakeFailed(Event event, Throwable failure) {
        cancel(event.getSSLEngine());
    }

    private void cancel(SSLEngine engine) {
        Scheduler.Task task = pending.remove(engine);
        if (task != null) {
            task.cancel();
        }
    }
}
