package dev.upstreamguard.gateway;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A loopback upstream answering 204 to everything and remembering the {@code Via} lines of the last request. */
final class HeaderRecordingUpstream {
    private final HttpServer server;
    private final AtomicReference<List<String>> lastVia = new AtomicReference<>(List.of());
    private final AtomicInteger requests = new AtomicInteger();

    private HeaderRecordingUpstream(HttpServer server) {
        this.server = server;
        server.createContext("/", exchange -> {
            List<String> via = exchange.getRequestHeaders().get("Via");
            lastVia.set(via == null ? List.of() : List.copyOf(via));
            requests.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    /** Started on an ephemeral loopback port; daemon threads. */
    static HeaderRecordingUpstream start() {
        try {
            return new HeaderRecordingUpstream(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<String> lastVia() {
        return lastVia.get();
    }

    int requests() {
        return requests.get();
    }
}
