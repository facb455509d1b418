package dev.upstreamguard.core.classify;

import java.util.Locale;
import java.util.Optional;

/**
 * The only places where an exception message is read, each for a library that gives no other signal.
 * Every method names the library and the condition; none of these texts is ever written anywhere.
 */
final class MessageSignals {

    private static final String JDK_RECEIVED_ALERT = "Received fatal alert: ";

    private MessageSignals() {
    }

    /**
     * A {@code SocketTimeoutException} raised by connect: the JDK says "Connect timed out", Jetty's
     * client says "Connect Timeout"; a read timeout says "Read timed out" (JDK) or "timeout" (okio).
     */
    static boolean socketTimeoutIsConnect(String message) {
        String m = lower(message);
        return m.contains("connect timed out") || m.contains("connect timeout");
    }

    /** A {@code ConnectException} for an OS-level connect timeout (ETIMEDOUT: "Connection timed out"). */
    static boolean connectExceptionTimedOut(String message) {
        String m = lower(message);
        return m.contains("timed out") || m.contains("timeout");
    }

    /** A {@code SocketException}/{@code ConnectException} for EHOSTUNREACH or ENETUNREACH. */
    static boolean socketErrorUnroutable(String message) {
        String m = lower(message);
        return m.contains("no route to host") || m.contains("network is unreachable");
    }

    /**
     * The JDK {@code HttpClient} throws the same {@code java.net.ProtocolException} for bad header
     * syntax and for a head over {@code jdk.http.maxHeaderSize}: "Header size too big: n &gt; limit".
     */
    static boolean jdkHeaderSectionTooBig(String message) {
        return lower(message).startsWith("header size too big");
    }

    /**
     * Jetty 12's {@code HttpParser} throws {@code HttpException.RuntimeException(status, "Response
     * Header Bytes Too Large")} whose code is the upstream's status, so only the text tells.
     */
    static boolean jettyResponseHeadTooLarge(String message) {
        return lower(message).contains("header bytes too large");
    }

    /**
     * Jetty 12's {@code HttpClient} rejects a request whose destination queue is full, before it takes a
     * connection, with {@code RejectedExecutionException("Max requests queued per destination N exceeded
     * for ...")}; other rejections (an executor shutting down) may come at any time.
     */
    static boolean jettyRequestQueueFull(String message) {
        return message != null && message.startsWith("Max requests queued per destination");
    }

    /** Jetty 12's {@code HttpParser} reports EOF inside a response head as {@code HttpException.RuntimeException("Early EOF")}. */
    static boolean jettyEarlyEof(String message) {
        return message != null && message.contains("Early EOF");
    }

    /**
     * The JDK's TLS stack names a received fatal alert only in its message: "Received fatal alert:
     * handshake_failure". Returns the alert when it is one the IANA TLS Alerts registry knows.
     */
    static Optional<TlsAlert> jdkReceivedTlsAlert(String message) {
        if (message == null) {
            return Optional.empty();
        }
        int at = message.indexOf(JDK_RECEIVED_ALERT);
        if (at < 0) {
            return Optional.empty();
        }
        int start = at + JDK_RECEIVED_ALERT.length();
        int end = start;
        while (end < message.length() && isAlertNameChar(message.charAt(end))) {
            end++;
        }
        return TlsAlert.byDescription(message.substring(start, end));
    }

    /** Whether the message says a fatal TLS alert was received, known to the registry or not. */
    static boolean jdkSaysTlsAlertReceived(String message) {
        return message != null && message.contains(JDK_RECEIVED_ALERT);
    }

    /**
     * Reactor Netty's {@code PrematureCloseException} is one type for both cases; its message says
     * "Connection prematurely closed BEFORE response" or "... DURING response".
     */
    static ReactorClose reactorPrematureClose(String message) {
        if (message == null) {
            return ReactorClose.UNSAID;
        }
        if (message.contains("BEFORE response")) {
            return ReactorClose.BEFORE_RESPONSE;
        }
        if (message.contains("DURING response")) {
            return ReactorClose.DURING_RESPONSE;
        }
        return ReactorClose.UNSAID;
    }

    /**
     * The JDK {@code HttpClient} reports EOF in the middle of a response head as a plain
     * {@code IOException("parsing HTTP/1.1 status line, receiving [...]")} or {@code "parsing HTTP/1.1
     * header, ..."}, against {@code "HTTP/1.1 header parser received no bytes"} when nothing came.
     */
    static boolean jdkHttpClientHeadCutShort(String message) {
        return message != null && message.startsWith("parsing HTTP/1.1 ");
    }

    /** The JDK {@code HttpClient}'s chunked decoder: {@code IOException("Illegal character in chunk size: 122")}. */
    static boolean jdkHttpClientBadChunkSize(String message) {
        return message != null && message.contains("in chunk size");
    }

    /** OkHttp signals its call timeout with a bare {@code InterruptedIOException("timeout")}. */
    static boolean okHttpCallTimeout(String message) {
        return "timeout".equals(message);
    }

    private static boolean isAlertNameChar(char c) {
        return c >= 'a' && c <= 'z' || c == '_';
    }

    private static String lower(String message) {
        return message == null ? "" : message.toLowerCase(Locale.ROOT);
    }

    /** What a Reactor Netty premature-close message says about progress. */
    enum ReactorClose { BEFORE_RESPONSE, DURING_RESPONSE, UNSAID }
}
