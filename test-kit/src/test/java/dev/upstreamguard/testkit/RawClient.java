package dev.upstreamguard.testkit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;

/** A test client on a raw socket: writes request bytes and records exactly what comes back and how it ends. */
final class RawClient implements AutoCloseable {

    /** How the server ended the bytes we read. */
    enum End { FIN, RESET, STILL_OPEN }

    /** Everything received until the end. */
    record Received(byte[] bytes, End end) {
        String text() {
            return new String(bytes, ISO_8859_1);
        }
    }

    private final Socket socket;
    private final InputStream in;

    RawClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(5_000);
        in = socket.getInputStream();
    }

    static String get(String target, String... extraFields) {
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String field : extraFields) {
            request.append(field).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** Sends one GET with {@code Connection: close} and reads until the server ends the connection. */
    static Received exchange(URI uri) throws IOException {
        try (RawClient client = new RawClient(uri.getPort())) {
            client.send(get(uri.getRawPath(), "Connection: close"));
            return client.readToEnd();
        }
    }

    void send(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(ISO_8859_1));
        socket.getOutputStream().flush();
    }

    void timeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    /** Reads until FIN, RST, or (reported as STILL_OPEN) the read timeout. */
    Received readToEnd() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
            return new Received(received.toByteArray(), End.FIN);
        } catch (SocketTimeoutException e) {
            return new Received(received.toByteArray(), End.STILL_OPEN);
        } catch (SocketException e) {
            if (!"Connection reset".equals(e.getMessage())) {
                throw e;
            }
            return new Received(received.toByteArray(), End.RESET);
        }
    }

    /** Reads whatever one read() returns (at least one byte). */
    String readSome() throws IOException {
        byte[] buffer = new byte[8192];
        int n = in.read(buffer);
        return n < 0 ? null : new String(buffer, 0, n, ISO_8859_1);
    }

    /** Reads one response whose head announces a Content-Length, leaving the connection usable. */
    String readResponseWithContentLength() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection ended inside a head: " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
