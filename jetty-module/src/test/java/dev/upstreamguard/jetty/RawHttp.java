package dev.upstreamguard.jetty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A raw-socket HTTP/1.1 GET that returns every byte the server sent until it closed the connection, so
 * a test can see what no HTTP client shows: whether a chunked body ended with the last-chunk, how many
 * body bytes came after a Content-Length, whether the connection was reset.
 */
final class RawHttp {

    /** What came back: the bytes, whether the connection ended with a reset, or was still open at the timeout. */
    record Exchange(byte[] bytes, boolean reset, boolean timedOut) {
        /** The text after any interim (1xx) responses. */
        String text() {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            while (text.startsWith("HTTP/1.1 1") && text.contains("\r\n\r\n")) {
                text = text.substring(text.indexOf("\r\n\r\n") + 4);
            }
            return text;
        }

        int status() {
            String text = text();
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
        }

        String head() {
            int end = text().indexOf("\r\n\r\n");
            return end < 0 ? text() : text().substring(0, end + 2);
        }

        String body() {
            int end = text().indexOf("\r\n\r\n");
            return end < 0 ? "" : text().substring(end + 4);
        }

        /** The value of the first field {@code name} in the head, or {@code null}. */
        String header(String name) {
            for (String line : head().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    static Exchange get(int port, String path, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAccept: application/problem+json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    received.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException stillOpen) {
                return new Exchange(received.toByteArray(), false, true);
            } catch (SocketException reset) {
                return new Exchange(received.toByteArray(), true, false);
            }
            return new Exchange(received.toByteArray(), false, false);
        }
    }
}
