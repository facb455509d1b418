package dev.upstreamguard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port where TCP connect times out instead of being refused.
 *
 * <p>Technique: a {@link ServerSocket} listens with a backlog of 1 and never accepts. We connect to it
 * ourselves until a connect attempt times out; the connections that succeeded are held open and keep
 * the accept queue full. A listener whose accept queue is full silently drops new SYNs (Linux:
 * {@code ListenOverflows}), so every later connect sees no answer at all and times out, like a
 * firewalled host. On Linux the queue holds backlog + 1 = 2 connections.
 */
final class ConnectTimeoutTrap implements AutoCloseable {

    private static final int FILLER_CONNECT_TIMEOUT_MILLIS = 250;
    private static final int MAX_FILLERS = 16;

    private final ServerSocket listener;
    private final List<Socket> fillers = new ArrayList<>();

    private ConnectTimeoutTrap(ServerSocket listener) {
        this.listener = listener;
    }

    static ConnectTimeoutTrap open() {
        try {
            ConnectTimeoutTrap trap = new ConnectTimeoutTrap(
                    new ServerSocket(0, 1, MisbehavingUpstream.LOOPBACK));
            trap.fillAcceptQueue();
            return trap;
        } catch (IOException e) {
            throw new UncheckedIOException("could not set up the connect-timeout port", e);
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    private void fillAcceptQueue() throws IOException {
        InetSocketAddress address = new InetSocketAddress(MisbehavingUpstream.LOOPBACK, port());
        while (fillers.size() < MAX_FILLERS) {
            Socket filler = new Socket();
            try {
                filler.connect(address, FILLER_CONNECT_TIMEOUT_MILLIS);
                fillers.add(filler);
            } catch (SocketTimeoutException queueIsFull) {
                filler.close();
                return;
            } catch (IOException e) {
                filler.close();
                close();
                throw e;
            }
        }
        close();
        throw new IOException("the accept queue never filled up after " + MAX_FILLERS + " connections");
    }

    @Override
    public void close() {
        for (Socket filler : fillers) {
            MisbehavingUpstream.closeQuietly(filler);
        }
        MisbehavingUpstream.closeQuietly(listener);
    }
}
