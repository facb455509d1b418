package dev.upstreamguard.jetty;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * An {@code https} upstream on 127.0.0.1 and an ephemeral port with a certificate from {@link TestPki}, counting
 * the requests it received: either a Jetty server answering {@code 200 tls-ok} (optionally requiring a client
 * certificate signed by the CA), or a raw TLS socket that reads each whole request and then closes the
 * connection without answering.
 */
final class TlsUpstream implements AutoCloseable {
    static final String BODY = "tls-ok";

    private final AtomicInteger received = new AtomicInteger();
    private final Server server;
    private final int port;
    private final SSLServerSocket dropping;
    private final ExecutorService threads;

    private TlsUpstream(Path keyStore, Path clientTrust) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keyStore.toString());
        tls.setKeyStorePassword(TestPki.PASSWORD);
        tls.setKeyStoreType("PKCS12");
        if (clientTrust != null) {
            tls.setTrustStorePath(clientTrust.toString());
            tls.setTrustStorePassword(TestPki.PASSWORD);
            tls.setTrustStoreType("PKCS12");
            tls.setNeedClientAuth(true);
        }
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // the hostname test serves a certificate for another host on purpose
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, tls, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                received.incrementAndGet();
                response.setStatus(200);
                Content.Sink.write(response, true, BODY, callback);
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
        dropping = null;
        threads = null;
    }

    private TlsUpstream(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, TestPki.PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, TestPki.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = null;
        dropping = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getByName("127.0.0.1"));
        port = dropping.getLocalPort();
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tls-dropping-upstream-" + port);
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::acceptLoop);
    }

    /** A Jetty upstream presenting {@code keyStore}'s certificate. */
    static TlsUpstream answering(Path keyStore) throws Exception {
        return new TlsUpstream(keyStore, null);
    }

    /** Like {@link #answering}, also requiring a client certificate that {@code clientTrust} trusts (mutual TLS). */
    static TlsUpstream requiringClientCertificate(Path keyStore, Path clientTrust) throws Exception {
        return new TlsUpstream(keyStore, clientTrust);
    }

    /** An upstream that reads each request (head and {@code Content-Length} body), counts it, then closes. */
    static TlsUpstream droppingAfterRequest(Path keyStore) throws Exception {
        return new TlsUpstream(keyStore);
    }

    /** {@code https://127.0.0.1:<port>}. */
    URI uri() {
        return URI.create("https://127.0.0.1:" + port);
    }

    /** How many whole requests arrived. */
    int received() {
        return received.get();
    }

    private void acceptLoop() {
        while (!dropping.isClosed()) {
            try {
                Socket socket = dropping.accept();
                threads.execute(() -> readThenClose(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void readThenClose(Socket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.write(b);
            }
            long length = 0;
            for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring("content-length:".length()).trim());
                }
            }
            if (in.readNBytes((int) length).length == length) {
                received.incrementAndGet();
            }
        } catch (IOException ignored) {
            // a handshake the client gave up on: not a request
        }
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (dropping != null) {
            dropping.close();
            threads.shutdownNow();
        }
    }
}
