package dev.upstreamguard.jetty;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A well-behaved upstream on 127.0.0.1 that records each request it receives (fields and the whole body) and
 * answers {@code 200} with the body it received.
 */
final class EchoUpstream implements AutoCloseable {

    /** One received request. */
    record Received(HttpFields headers, byte[] body) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ProxyServer server;

    private EchoUpstream() throws Exception {
        server = ProxyServer.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                HttpFields headers = HttpFields.build(request.getHeaders()).asImmutable();
                Content.Source.asByteArrayAsync(request, 16 * 1024 * 1024).whenComplete((body, failure) -> {
                    if (failure != null) {
                        callback.failed(failure);
                        return;
                    }
                    received.add(new Received(headers, body));
                    response.setStatus(200);
                    response.write(true, ByteBuffer.wrap(body), callback);
                });
                return true;
            }
        });
    }

    static EchoUpstream start() throws Exception {
        return new EchoUpstream();
    }

    URI baseUri() {
        return server.uri("");
    }

    /** The next request received, waiting up to 10 s. */
    Received next() throws InterruptedException {
        Received next = received.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("the upstream received no request within 10 s");
        }
        return next;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
