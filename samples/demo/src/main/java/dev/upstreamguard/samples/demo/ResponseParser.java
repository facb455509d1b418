package dev.upstreamguard.samples.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Reads an HTTP/1.1 response out of the bytes received so far (interim 1xx heads skipped). */
final class ResponseParser {
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final byte[] CRLF = {'\r', '\n'};

    private ResponseParser() {
    }

    /**
     * The answer in {@code bytes}, or {@code null} when it is not complete yet and the connection is still open
     * ({@code ended == null}); once it ended, whatever arrived, with how it ended.
     */
    static Answer parse(byte[] bytes, Answer.Ending ended) {
        int start = 0;
        while (true) {
            int headEnd = indexOf(bytes, HEAD_END, start);
            if (headEnd < 0) {
                return ended == null ? null : new Answer(-1, null, new byte[0], ended == Answer.Ending.HUNG
                        ? Answer.Ending.HUNG : ended == Answer.Ending.RESET ? Answer.Ending.RESET : Answer.Ending.CLOSED);
            }
            String[] lines = new String(bytes, start, headEnd - start, StandardCharsets.ISO_8859_1).split("\r\n");
            int status = statusOf(lines[0]);
            int bodyStart = headEnd + HEAD_END.length;
            if (status >= 100 && status < 200 && status != 101) {
                start = bodyStart;
                continue;
            }
            return body(bytes, bodyStart, status, lines, ended);
        }
    }

    private static Answer body(byte[] bytes, int from, int status, String[] lines, Answer.Ending ended) {
        List<String> proxyStatus = new ArrayList<>();
        String contentLength = null;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "proxy-status" -> proxyStatus.add(value);
                case "content-length" -> contentLength = contentLength == null ? value : contentLength;
                case "transfer-encoding" -> chunked |= value.toLowerCase(Locale.ROOT).endsWith("chunked");
                default -> { }
            }
        }
        String ps = proxyStatus.isEmpty() ? null : String.join(", ", proxyStatus);
        byte[] rest = Arrays.copyOfRange(bytes, from, bytes.length);
        boolean noBody = status == 101 || status == 204 || status == 304;
        byte[] body;
        boolean complete;
        if (noBody) {
            body = new byte[0];
            complete = true;
        } else if (chunked) {
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            complete = dechunk(rest, decoded);
            body = decoded.toByteArray();
        } else if (contentLength != null && contentLength.matches("\\d{1,18}")) {
            long length = Long.parseLong(contentLength);
            complete = rest.length >= length;
            body = complete ? Arrays.copyOf(rest, (int) length) : rest;
        } else {
            body = rest;
            complete = ended == Answer.Ending.CLOSED;
        }
        if (complete) {
            return new Answer(status, ps, body, Answer.Ending.COMPLETE);
        }
        if (ended == null) {
            return null;
        }
        return new Answer(status, ps, body, ended == Answer.Ending.HUNG ? Answer.Ending.HUNG : Answer.Ending.TRUNCATED);
    }

    /** Decodes chunks into {@code out}; whether the last-chunk and the end of the trailer section arrived. */
    private static boolean dechunk(byte[] in, ByteArrayOutputStream out) {
        int pos = 0;
        while (true) {
            int lineEnd = indexOf(in, CRLF, pos);
            if (lineEnd < 0) {
                return false;
            }
            String sizeText = new String(in, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
            int semicolon = sizeText.indexOf(';');
            sizeText = (semicolon >= 0 ? sizeText.substring(0, semicolon) : sizeText).trim();
            if (!sizeText.matches("[0-9A-Fa-f]{1,7}")) {
                return false;
            }
            int size = Integer.parseInt(sizeText, 16);
            pos = lineEnd + CRLF.length;
            if (size == 0) {
                // trailer section: ends with an empty line
                while (true) {
                    int end = indexOf(in, CRLF, pos);
                    if (end < 0) {
                        return false;
                    }
                    if (end == pos) {
                        return true;
                    }
                    pos = end + CRLF.length;
                }
            }
            if (in.length < pos + size + CRLF.length) {
                out.write(in, pos, Math.min(size, in.length - pos));
                return false;
            }
            out.write(in, pos, size);
            pos += size + CRLF.length;
        }
    }

    private static int statusOf(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[1].matches("\\d{3}")) {
            return 0;
        }
        return Integer.parseInt(parts[1]);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
