package dev.upstreamguard.testkit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The parts of an HTTP/1.x request head the upstream needs: the request target, how long the body is
 * (to discard it) and whether the client wants the connection closed afterwards.
 */
record RequestHead(String target, long contentLength, boolean chunked, boolean wantsClose) {

    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /** Thrown when the bytes received are not a request head we can answer. */
    static final class MalformedRequestException extends IOException {
        MalformedRequestException(String message) {
            super(message);
        }
    }

    /**
     * Reads one request head (up to the empty line). Returns {@code null} when the stream ends before
     * the head is complete: the client closed (normally between keep-alive requests).
     */
    static RequestHead read(InputStream in) throws IOException {
        String head = readHeadText(in);
        if (head == null) {
            return null;
        }
        String[] lines = head.split("\r?\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new MalformedRequestException("not an HTTP/1.x request line");
        }
        long contentLength = 0;
        boolean chunked = false;
        boolean close = requestLine[2].equals("HTTP/1.0");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new MalformedRequestException("header line without a name");
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> contentLength = parseLength(value);
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> close = connectionOptionsSayClose(value, close);
                default -> { }
            }
        }
        return new RequestHead(originFormPath(requestLine[1]), contentLength, chunked, close);
    }

    /** Reads and drops the request body this head announces. */
    void discardBody(InputStream in) throws IOException {
        if (chunked) {
            discardChunkedBody(in);
        } else {
            skipExactly(in, contentLength);
        }
    }

    private static String readHeadText(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int previous = -1;
        int beforePrevious = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue; // RFC 9112 §2.2: ignore empty lines before the request line
            }
            if (b == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'))) {
                return head.toString(ISO_8859_1).stripTrailing();
            }
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new MalformedRequestException("request head over " + MAX_HEAD_BYTES + " bytes");
            }
            beforePrevious = previous;
            previous = b;
        }
    }

    private static boolean connectionOptionsSayClose(String value, boolean closeSoFar) {
        for (String option : value.split(",")) {
            if (option.trim().equals("close")) {
                return true;
            }
            if (option.trim().equals("keep-alive")) {
                closeSoFar = false;
            }
        }
        return closeSoFar;
    }

    private static long parseLength(String value) throws MalformedRequestException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new MalformedRequestException("invalid Content-Length");
        }
    }

    /** An absolute-form target ({@code http://host/path}) reduced to its path and query. */
    private static String originFormPath(String target) {
        int scheme = target.indexOf("://");
        if (scheme < 0) {
            return target;
        }
        int path = target.indexOf('/', scheme + 3);
        return path < 0 ? "/" : target.substring(path);
    }

    private static void discardChunkedBody(InputStream in) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            int extension = sizeLine.indexOf(';');
            String size = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim();
            long length;
            try {
                length = Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                throw new MalformedRequestException("invalid chunk size");
            }
            if (length == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailer fields are dropped too
                }
                return;
            }
            skipExactly(in, length);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new MalformedRequestException("request body ended early");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static void skipExactly(InputStream in, long length) throws IOException {
        long left = length;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new MalformedRequestException("request body ended early");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }
}
