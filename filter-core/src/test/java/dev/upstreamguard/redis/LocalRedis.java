package dev.upstreamguard.redis;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (the binary inside embedded-redis) on 127.0.0.1, on a port that was free,
 * without persistence. It can be killed (SIGKILL), frozen (SIGSTOP) and started again on the same port.
 */
public final class LocalRedis implements AutoCloseable {
    private final int port;
    private final RedisServer server;
    private volatile ProcessHandle process;

    private LocalRedis(int port, RedisServer server) {
        this.port = port;
        this.server = server;
    }

    public static LocalRedis start() {
        try {
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .onShutdownForceStop(true) // stop() is a SIGKILL: Redis gets no chance to say goodbye
                    .soutListener(line -> { }) // drain its output so that it never blocks on a full pipe
                    .serrListener(line -> { })
                    .build();
            LocalRedis redis = new LocalRedis(port, server);
            redis.restart();
            return redis;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Kills the server process (SIGKILL) and waits for it to be gone. */
    public void kill() {
        try {
            server.stop();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Starts the server again on the same port (empty: nothing is persisted); returns once it accepts connections. */
    public void restart() {
        Set<Long> before = redisChildren().map(ProcessHandle::pid).collect(Collectors.toSet());
        try {
            server.start();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        // redis-server rewrites its command line, so it is known as the child that start() added
        process = redisChildren().filter(p -> !before.contains(p.pid())).findFirst()
                .orElseThrow(() -> new IllegalStateException("redis-server on port " + port + " not found"));
    }

    private static Stream<ProcessHandle> redisChildren() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().command().orElse("").contains("redis-server"));
    }

    /** Freezes the process (SIGSTOP): connections stay open, nothing is answered. */
    void freeze() {
        signal("-STOP");
    }

    /** Lets a frozen process run again (SIGCONT). */
    void thaw() {
        signal("-CONT");
    }

    @Override
    public void close() {
        if (server.isActive()) {
            kill();
        }
    }

    private void signal(String signal) {
        long pid = process.pid();
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + pid + " failed");
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
