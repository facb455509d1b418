package dev.upstreamguard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * An upstream at a fixed loopback port that refuses connections until {@link #serve()} and again after
 * {@link #refuse()}: an upstream that is down, then heals, without its address changing — what passive
 * health must eject and later take back.
 *
 * <p>The port is held by a socket that is bound but never listens, with {@code SO_REUSEPORT} (Linux), so
 * the kernel answers a SYN with RST and nobody else can take the port; while serving, a
 * {@link MisbehavingUpstream} listens on the same port (every fault path works). Request counts add up
 * over every serving period.
 */
public final class SwitchableUpstream implements AutoCloseable {
    private final Socket portHolder;
    private final Map<Fault, Integer> countedBefore = new EnumMap<>(Fault.class);
    private MisbehavingUpstream serving;

    private SwitchableUpstream(Socket portHolder) {
        this.portHolder = portHolder;
    }

    /** Holds an ephemeral loopback port that refuses connections. */
    public static SwitchableUpstream refusing() {
        try {
            Socket holder = new Socket();
            holder.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            holder.bind(new InetSocketAddress(MisbehavingUpstream.LOOPBACK, 0));
            return new SwitchableUpstream(holder);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("SO_REUSEPORT on loopback is needed (Linux, macOS)", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, the same whether it refuses or serves. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + portHolder.getLocalPort());
    }

    /** Starts accepting connections, answering like a {@link MisbehavingUpstream}. No-op while serving. */
    public synchronized void serve() {
        if (serving == null) {
            serving = MisbehavingUpstream.startSharing(portHolder.getLocalPort());
        }
    }

    /** Stops listening and closes every connection (clients see FIN); connections are refused again. */
    public synchronized void refuse() {
        if (serving != null) {
            for (Fault fault : Fault.values()) {
                countedBefore.merge(fault, serving.requestCount(fault), Integer::sum);
            }
            serving.close();
            serving = null;
            awaitRefusal();
        }
    }

    /**
     * A listener closed while its accept thread is blocked goes away only when that thread wakes up: probe
     * until a connect is refused (bounded), so that {@link #refuse()} returns with the port refusing. A probe
     * whose connect is reset (the SYN was queued on the listener as it closed) proves nothing either way: probe
     * again.
     */
    private void awaitRefusal() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(MisbehavingUpstream.LOOPBACK, portHolder.getLocalPort())) {
                Thread.onSpinWait();
            } catch (ConnectException refused) {
                return;
            } catch (IOException resetWhileClosing) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("port " + portHolder.getLocalPort() + " still accepts connections 5 s after close");
    }

    /** How many complete requests arrived on the path of {@code fault} while it served, in all. */
    public synchronized int requestCount(Fault fault) {
        return countedBefore.getOrDefault(fault, 0) + (serving == null ? 0 : serving.requestCount(fault));
    }

    /** Stops serving and releases the port. */
    @Override
    public synchronized void close() {
        refuse();
        try {
            portHolder.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "SwitchableUpstream[" + baseUri() + (serving == null ? ", refusing]" : ", serving]");
    }
}
