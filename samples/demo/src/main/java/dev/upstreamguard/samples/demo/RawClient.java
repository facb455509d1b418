package dev.upstreamguard.samples.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A keep-alive HTTP/1.1 client on a raw socket, like curl: it sends one {@code GET} to 127.0.0.1 and reads
 * until the response is complete by its framing, the connection ends, or the time limit passes. Raw bytes,
 * so a body cut short is seen as cut short, whatever a client library would make of it.
 */
public final class RawClient {
    private static final int MAX_BYTES = 1 << 20;
    private static final InetAddress LOOPBACK = loopback();

    private final Duration limit;

    /** A client that gives up on an exchange after {@code limit}. */
    public RawClient(Duration limit) {
        this.limit = limit;
    }

    /** {@code GET path} to {@code 127.0.0.1:port}, asking for problem details. */
    public Answer get(int port, String path) {
        long deadline = System.nanoTime() + limit.toNanos();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), (int) limit.toMillis());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAccept: application/problem+json\r\nUser-Agent: upstream-guard-demo\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16384];
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return ResponseParser.parse(received.toByteArray(), Answer.Ending.HUNG);
                }
                socket.setSoTimeout((int) left);
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    return ResponseParser.parse(received.toByteArray(), Answer.Ending.HUNG);
                }
                if (n < 0) {
                    return ResponseParser.parse(received.toByteArray(), Answer.Ending.CLOSED);
                }
                if (received.size() < MAX_BYTES) {
                    received.write(buffer, 0, n);
                }
                Answer done = ResponseParser.parse(received.toByteArray(), null);
                if (done != null) {
                    return done;
                }
            }
        } catch (IOException e) {
            // reset by the peer, or the stack is not there at all
            return ResponseParser.parse(received.toByteArray(), Answer.Ending.RESET);
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
