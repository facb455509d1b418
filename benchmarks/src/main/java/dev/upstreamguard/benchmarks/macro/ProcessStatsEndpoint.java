package dev.upstreamguard.benchmarks.macro;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A one-path HTTP endpoint on loopback inside each proxy JVM, for the load run only: {@code GET /stats}
 * answers {@code <heap bytes allocated since start> <GC count> <GC time ms>} (one line), from
 * {@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes} (which includes threads that
 * ended). The load run reads it before and after each sample to get bytes allocated per request. One
 * daemon thread; it costs nothing between samples.
 */
public final class ProcessStatsEndpoint {

    private ProcessStatsEndpoint() {
    }

    /** Starts the endpoint on {@code 127.0.0.1:port}. */
    public static void start(int port) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4);
        server.createContext("/stats", exchange -> {
            long gcCount = 0;
            long gcMillis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcCount += Math.max(0, gc.getCollectionCount());
                gcMillis += Math.max(0, gc.getCollectionTime());
            }
            byte[] body = (threads.getTotalThreadAllocatedBytes() + " " + gcCount + " " + gcMillis + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }
}
