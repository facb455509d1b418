package dev.upstreamguard.benchmarks.soak;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (the binary embedded-redis ships) on 127.0.0.1 without persistence; killed
 * with SIGKILL and started again, empty, on the same port.
 */
final class SoakRedis implements AutoCloseable {
    private final int port;
    private final RedisServer server;

    SoakRedis() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("save \"\"").setting("appendonly no")
                .onShutdownForceStop(true)
                .soutListener(line -> { }).serrListener(line -> { })
                .build();
        server.start();
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** SIGKILL. */
    void kill() throws IOException {
        server.stop();
    }

    /** Starts it again on the same port; returns once it accepts connections. */
    void restart() throws IOException {
        server.start();
    }

    /**
     * Polls {@code DBSIZE} every 20 ms until a key exists (the guard stored a bucket in the fresh Redis);
     * the time that took, or null when none appeared within {@code limit}.
     */
    Duration untilFirstKey(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            while (System.nanoTime() - start < limit.toNanos()) {
                if (connection.sync().dbsize() > 0) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                Thread.sleep(20); // polling interval
            }
            return null;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws IOException {
        if (server.isActive()) {
            server.stop();
        }
    }
}
