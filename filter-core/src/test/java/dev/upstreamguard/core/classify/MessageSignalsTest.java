package dev.upstreamguard.core.classify;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The isolated message checks, one table per library signal. */
class MessageSignalsTest {

    @ParameterizedTest(name = "SocketTimeoutException \"{0}\" is connect: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Connect timed out|true",          // JDK Socket.connect
        "connect timed out|true",
        "Connect Timeout|true",            // Jetty ClientConnector
        "Read timed out|false",            // JDK read
        "timeout|false",                   // okio read
        "NULL|false",
    })
    void socketTimeoutIsConnect(String message, boolean connect) {
        assertThat(MessageSignals.socketTimeoutIsConnect(message)).isEqualTo(connect);
    }

    @ParameterizedTest(name = "ConnectException \"{0}\" timed out: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Connection timed out|true",
        "HTTP connect timed out|true",
        "Connection refused|false",
        "NULL|false",
    })
    void connectExceptionTimedOut(String message, boolean timedOut) {
        assertThat(MessageSignals.connectExceptionTimedOut(message)).isEqualTo(timedOut);
    }

    @ParameterizedTest(name = "\"{0}\" unroutable: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "No route to host|true",
        "Network is unreachable|true",
        "Connection reset|false",
        "NULL|false",
    })
    void socketErrorUnroutable(String message, boolean unroutable) {
        assertThat(MessageSignals.socketErrorUnroutable(message)).isEqualTo(unroutable);
    }

    @ParameterizedTest(name = "JDK ProtocolException \"{0}\" is head too big: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Header size too big: 9000 > 8192|true",
        "Invalid header name \"a b\"|false",
        "Invalid status line: \"HTTP/1.1 999\"|false",
        "NULL|false",
    })
    void jdkHeaderSectionTooBig(String message, boolean tooBig) {
        assertThat(MessageSignals.jdkHeaderSectionTooBig(message)).isEqualTo(tooBig);
    }

    @ParameterizedTest(name = "Jetty \"{0}\" is head too large: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Response Header Bytes Too Large|true",
        "Bad status|false",
        "NULL|false",
    })
    void jettyResponseHeadTooLarge(String message, boolean tooLarge) {
        assertThat(MessageSignals.jettyResponseHeadTooLarge(message)).isEqualTo(tooLarge);
    }

    @ParameterizedTest(name = "Jetty \"{0}\" is early EOF: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Early EOF|true",
        "Bad status|false",
        "NULL|false",
    })
    void jettyEarlyEof(String message, boolean earlyEof) {
        assertThat(MessageSignals.jettyEarlyEof(message)).isEqualTo(earlyEof);
    }

    @ParameterizedTest(name = "RejectedExecutionException \"{0}\" is Jetty's full queue: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Max requests queued per destination 1024 exceeded for HttpDestination[http://a:80]|true",
        "Task x rejected from java.util.concurrent.ThreadPoolExecutor@1[Shutting down]|false",
        "event executor terminated|false",
        "NULL|false",
    })
    void jettyRequestQueueFull(String message, boolean queueFull) {
        assertThat(MessageSignals.jettyRequestQueueFull(message)).isEqualTo(queueFull);
    }

    @ParameterizedTest(name = "\"{0}\" -> alert {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Received fatal alert: handshake_failure|HANDSHAKE_FAILURE",
        "Received fatal alert: unknown_ca|UNKNOWN_CA",
        "Received fatal alert: protocol_version|PROTOCOL_VERSION",
        "Received fatal alert: certificate_required (more text)|CERTIFICATE_REQUIRED",
        "Received fatal alert: not_an_alert|NULL",
        "(certificate_unknown) PKIX path building failed|NULL",  // generated locally, not received
        "NULL|NULL",
    })
    void jdkReceivedTlsAlert(String message, TlsAlert alert) {
        assertThat(MessageSignals.jdkReceivedTlsAlert(message)).isEqualTo(java.util.Optional.ofNullable(alert));
    }

    @ParameterizedTest(name = "\"{0}\" says received: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Received fatal alert: not_an_alert|true",
        "(handshake_failure) no cipher suites in common|false",
        "NULL|false",
    })
    void jdkSaysTlsAlertReceived(String message, boolean received) {
        assertThat(MessageSignals.jdkSaysTlsAlertReceived(message)).isEqualTo(received);
    }

    @ParameterizedTest(name = "Reactor \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Connection prematurely closed BEFORE response|BEFORE_RESPONSE",
        "Connection prematurely closed DURING response|DURING_RESPONSE",
        "Connection reset by peer|UNSAID",
        "NULL|UNSAID",
    })
    void reactorPrematureClose(String message, MessageSignals.ReactorClose expected) {
        assertThat(MessageSignals.reactorPrematureClose(message)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "JDK HttpClient \"{0}\" head cut short: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "parsing HTTP/1.1 status line, receiving [ (], parser state [STATUS_LINE]|true",
        "parsing HTTP/1.1 header, receiving [Content-Type:...], parser state [HEADER]|true",
        "HTTP/1.1 header parser received no bytes|false",
        "fixed content-length: 1000, bytes received: 100|false",
        "NULL|false",
    })
    void jdkHttpClientHeadCutShort(String message, boolean cutShort) {
        assertThat(MessageSignals.jdkHttpClientHeadCutShort(message)).isEqualTo(cutShort);
    }

    @ParameterizedTest(name = "JDK HttpClient \"{0}\" bad chunk size: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Illegal character in chunk size: 122|true",
        "chunked transfer encoding, state: READING_LENGTH|false",
        "NULL|false",
    })
    void jdkHttpClientBadChunkSize(String message, boolean badChunk) {
        assertThat(MessageSignals.jdkHttpClientBadChunkSize(message)).isEqualTo(badChunk);
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeout"})
    void okHttpCallTimeout(String message) {
        assertThat(MessageSignals.okHttpCallTimeout(message)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Canceled", "timeout exceeded", "interrupted"})
    void notOkHttpCallTimeout(String message) {
        assertThat(MessageSignals.okHttpCallTimeout(message)).isFalse();
    }
}
