package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamFailureException;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.ProtocolException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.upstreamguard.core.ErrorType.*;
import static dev.upstreamguard.core.Phase.*;
import static dev.upstreamguard.core.classify.Throwables.causedBy;
import static dev.upstreamguard.core.classify.Throwables.construct;
import static dev.upstreamguard.core.classify.Throwables.invokeStatic;
import static dev.upstreamguard.core.classify.Throwables.named;
import static dev.upstreamguard.core.classify.Throwables.namedWithField;
import static org.assertj.core.api.Assertions.assertThat;

/** The taxonomy: every mapping, hand-built exceptions (real library classes where they are on the classpath). */
class FailureClassifiersTest {

    /** Words that must never reach {@code details}: every message below carries them. */
    private static final String SECRET = "secret-host.internal 10.1.2.3";

    private final FailureClassifier classifier = FailureClassifiers.defaults();

    static {
        JettyAssertions.disable(); // this class loads Jetty's exceptions too
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"jdk", "jdkChains", "jetty", "netty", "apache", "okHttpAndSpring"})
    void classifiesByTypeChainAndPhase(Case c) {
        Throwable thrown = c.failure.get();

        UpstreamFailure verdict = classifier.classify(thrown, c.observed);

        assertThat(verdict).as("verdict").isNotNull();
        assertThat(verdict.type()).as("type").isEqualTo(c.type);
        assertThat(verdict.phase()).as("phase").isEqualTo(c.phase);
        assertThat(verdict.parameters()).as("parameters").isEqualTo(c.parameters);
        assertThat(verdict.cause()).as("cause is the classified throwable").isSameAs(thrown);
        assertThat(verdict.details()).as("details").isNotBlank().doesNotContain("secret").doesNotContain("10.1.2.3");
    }

    static Stream<Case> jdk() {
        return Stream.of(
                c("UnknownHostException", () -> new UnknownHostException(SECRET), UNKNOWN).is(DNS_ERROR, RESOLVE),
                c("UnresolvedAddressException", UnresolvedAddressException::new, CONNECT).is(DNS_ERROR, RESOLVE),
                c("ConnectException", () -> new ConnectException(SECRET), UNKNOWN).is(CONNECTION_REFUSED, CONNECT),
                c("ConnectException 'Connection timed out' (ETIMEDOUT)", () -> new ConnectException("Connection timed out"),
                        UNKNOWN).is(CONNECTION_TIMEOUT, CONNECT),
                c("ConnectException 'No route to host'", () -> new ConnectException("No route to host"), UNKNOWN)
                        .is(DESTINATION_IP_UNROUTABLE, CONNECT),
                c("NoRouteToHostException", () -> new NoRouteToHostException(SECRET), UNKNOWN)
                        .is(DESTINATION_IP_UNROUTABLE, CONNECT),
                c("PortUnreachableException", () -> new PortUnreachableException(SECRET), UNKNOWN)
                        .is(CONNECTION_REFUSED, CONNECT),
                c("SocketException 'Network is unreachable'", () -> new SocketException("Network is unreachable"), CONNECT)
                        .is(DESTINATION_IP_UNROUTABLE, CONNECT),
                c("SocketTimeoutException observed in CONNECT", () -> new SocketTimeoutException(SECRET), CONNECT)
                        .is(CONNECTION_TIMEOUT, CONNECT),
                c("SocketTimeoutException 'Connect timed out' (JDK) phase unknown",
                        () -> new SocketTimeoutException("Connect timed out"), UNKNOWN).is(CONNECTION_TIMEOUT, CONNECT),
                c("SocketTimeoutException 'Connect Timeout' (Jetty) phase unknown",
                        () -> new SocketTimeoutException("Connect Timeout"), UNKNOWN).is(CONNECTION_TIMEOUT, CONNECT),
                c("SocketTimeoutException read, awaiting response", () -> new SocketTimeoutException("Read timed out"),
                        AWAIT_RESPONSE).is(HTTP_RESPONSE_TIMEOUT, AWAIT_RESPONSE),
                c("SocketTimeoutException read, mid head", () -> new SocketTimeoutException("Read timed out"), READ_HEAD)
                        .is(CONNECTION_READ_TIMEOUT, READ_HEAD),
                c("SocketTimeoutException read, mid body", () -> new SocketTimeoutException("timeout"), READ_BODY)
                        .is(CONNECTION_READ_TIMEOUT, READ_BODY),
                c("SocketTimeoutException read, phase unknown", () -> new SocketTimeoutException("Read timed out"), UNKNOWN)
                        .is(CONNECTION_READ_TIMEOUT, UNKNOWN),
                c("HttpConnectTimeoutException", () -> new HttpConnectTimeoutException(SECRET), UNKNOWN)
                        .is(CONNECTION_TIMEOUT, CONNECT),
                c("HttpTimeoutException awaiting response", () -> new HttpTimeoutException(SECRET), AWAIT_RESPONSE)
                        .is(HTTP_RESPONSE_TIMEOUT, AWAIT_RESPONSE),
                c("HttpTimeoutException phase unknown", () -> new HttpTimeoutException(SECRET), UNKNOWN)
                        .is(HTTP_RESPONSE_TIMEOUT, AWAIT_RESPONSE),
                c("HttpTimeoutException mid head", () -> new HttpTimeoutException(SECRET), READ_HEAD)
                        .is(HTTP_RESPONSE_TIMEOUT, READ_HEAD),
                c("HttpTimeoutException mid body", () -> new HttpTimeoutException(SECRET), READ_BODY)
                        .is(CONNECTION_READ_TIMEOUT, READ_BODY),
                c("HttpTimeoutException while connecting", () -> new HttpTimeoutException(SECRET), CONNECT)
                        .is(CONNECTION_TIMEOUT, CONNECT),
                c("HttpTimeoutException while resolving", () -> new HttpTimeoutException(SECRET), RESOLVE)
                        .is(DNS_TIMEOUT, RESOLVE),
                c("TimeoutException awaiting response", () -> new TimeoutException(SECRET), AWAIT_RESPONSE)
                        .is(HTTP_RESPONSE_TIMEOUT, AWAIT_RESPONSE),
                c("TimeoutException mid body", () -> new TimeoutException(SECRET), READ_BODY)
                        .is(CONNECTION_READ_TIMEOUT, READ_BODY),
                c("InterruptedIOException 'timeout' (OkHttp call timeout)", () -> new InterruptedIOException("timeout"),
                        AWAIT_RESPONSE).is(HTTP_RESPONSE_TIMEOUT, AWAIT_RESPONSE),
                c("SocketException reset before response", () -> new SocketException("Connection reset"), AWAIT_RESPONSE)
                        .is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("SocketException broken pipe while sending", () -> new SocketException("Broken pipe"), SEND_REQUEST)
                        .is(CONNECTION_TERMINATED, SEND_REQUEST),
                c("SocketException reset mid head", () -> new SocketException("Connection reset"), READ_HEAD)
                        .is(HTTP_RESPONSE_INCOMPLETE, READ_HEAD),
                c("SocketException reset mid body", () -> new SocketException("Connection reset"), READ_BODY)
                        .is(HTTP_RESPONSE_INCOMPLETE, READ_BODY),
                c("SocketException reset phase unknown", () -> new SocketException("Connection reset"), UNKNOWN)
                        .is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("EOFException before response", () -> new EOFException(SECRET), AWAIT_RESPONSE)
                        .is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("EOFException mid body", () -> new EOFException(SECRET), READ_BODY).is(HTTP_RESPONSE_INCOMPLETE, READ_BODY),
                c("ClosedChannelException before response", ClosedChannelException::new, AWAIT_RESPONSE)
                        .is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("ClosedChannelException mid head", ClosedChannelException::new, READ_HEAD)
                        .is(HTTP_RESPONSE_INCOMPLETE, READ_HEAD),
                c("plain IOException before response", () -> new IOException(SECRET), AWAIT_RESPONSE)
                        .is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("plain IOException mid body", () -> new IOException(SECRET), READ_BODY)
                        .is(HTTP_RESPONSE_INCOMPLETE, READ_BODY),
                c("JDK HttpClient IOException 'parsing HTTP/1.1 header'(EOFException): head cut short",
                        () -> new IOException("parsing HTTP/1.1 header, receiving [" + SECRET + "]",
                                new EOFException("EOF reached while reading")), AWAIT_RESPONSE)
                        .is(HTTP_RESPONSE_INCOMPLETE, READ_HEAD),
                c("JDK HttpClient IOException 'header parser received no bytes'(SocketException)",
                        () -> new IOException("HTTP/1.1 header parser received no bytes",
                                new SocketException("Connection reset")), AWAIT_RESPONSE)
                        .is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("JDK HttpClient IOException 'Illegal character in chunk size'",
                        () -> new IOException("Illegal character in chunk size: 122"), READ_BODY)
                        .is(HTTP_RESPONSE_TRANSFER_CODING, READ_BODY).with("coding", "chunked"),
                c("JDK HttpClient ConnectException(ConnectException(UnresolvedAddressException))",
                        () -> new ConnectException(SECRET).initCause(new ConnectException(SECRET).initCause(
                                new UnresolvedAddressException())), AWAIT_RESPONSE).is(DNS_ERROR, RESOLVE),
                c("ProtocolException", () -> new ProtocolException("Invalid header name \"" + SECRET + "\""), AWAIT_RESPONSE)
                        .is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("ProtocolException 'Unexpected status line' (OkHttp)",
                        () -> new ProtocolException("Unexpected status line: " + SECRET), UNKNOWN)
                        .is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("ProtocolException 'Header size too big' (JDK HttpClient)",
                        () -> new ProtocolException("Header size too big: 8000 > 4096"), AWAIT_RESPONSE)
                        .is(HTTP_RESPONSE_HEADER_SECTION_SIZE, READ_HEAD),
                c("SSLHandshakeException", () -> new SSLHandshakeException(SECRET), CONNECT)
                        .is(TLS_PROTOCOL_ERROR, TLS_HANDSHAKE),
                c("SSLHandshakeException caused by CertPathBuilderException",
                        () -> causedBy(new SSLHandshakeException("PKIX path building failed"),
                                causedBy(new CertificateException(SECRET), new CertPathBuilderException(SECRET))), CONNECT)
                        .is(TLS_CERTIFICATE_ERROR, TLS_HANDSHAKE),
                c("SSLPeerUnverifiedException", () -> new SSLPeerUnverifiedException(SECRET), UNKNOWN)
                        .is(TLS_CERTIFICATE_ERROR, TLS_HANDSHAKE),
                c("SSLHandshakeException 'Received fatal alert: handshake_failure'",
                        () -> new SSLHandshakeException("Received fatal alert: handshake_failure"), CONNECT)
                        .is(TLS_ALERT_RECEIVED, TLS_HANDSHAKE).with("alert-id", 40).with("alert-message", "handshake_failure"),
                c("SSLException 'Received fatal alert: unknown_ca'",
                        () -> new SSLException("Received fatal alert: unknown_ca"), UNKNOWN)
                        .is(TLS_ALERT_RECEIVED, TLS_HANDSHAKE).with("alert-id", 48).with("alert-message", "unknown_ca"),
                c("SSLException with an alert we do not know", () -> new SSLException("Received fatal alert: made_up"),
                        UNKNOWN).is(TLS_ALERT_RECEIVED, TLS_HANDSHAKE),
                c("SSLException 'Unsupported or unrecognized SSL message'",
                        () -> new SSLException("Unsupported or unrecognized SSL message"), UNKNOWN)
                        .is(TLS_PROTOCOL_ERROR, TLS_HANDSHAKE),
                c("RejectedExecutionException (Jetty 'Max requests queued')",
                        () -> new RejectedExecutionException("Max requests queued per destination 1 exceeded for " + SECRET),
                        UNKNOWN).is(CONNECTION_LIMIT_REACHED, CONNECT),
                // a rejected task means "never sent" only in a phase before the request was written
                rejected(ADMISSION).is(CONNECTION_LIMIT_REACHED, ADMISSION),
                rejected(RESOLVE).is(CONNECTION_LIMIT_REACHED, RESOLVE),
                rejected(CONNECT).is(CONNECTION_LIMIT_REACHED, CONNECT),
                rejected(TLS_HANDSHAKE).is(CONNECTION_LIMIT_REACHED, TLS_HANDSHAKE),
                rejected(SEND_REQUEST).is(PROXY_INTERNAL_ERROR, SEND_REQUEST),
                rejected(AWAIT_RESPONSE).is(PROXY_INTERNAL_ERROR, AWAIT_RESPONSE),
                rejected(READ_HEAD).is(PROXY_INTERNAL_ERROR, READ_HEAD),
                rejected(READ_BODY).is(PROXY_INTERNAL_ERROR, READ_BODY),
                rejected(UNKNOWN).is(PROXY_INTERNAL_ERROR, UNKNOWN),
                c("RejectedExecutionException (Jetty 'Max requests queued') once the response was read",
                        () -> new RejectedExecutionException("Max requests queued per destination 1 exceeded for " + SECRET),
                        READ_BODY).is(PROXY_INTERNAL_ERROR, READ_BODY),
                c("RejectedExecutionException wrapped in a CompletionException after sending", () -> new CompletionException(
                        new RejectedExecutionException("Task rejected from " + SECRET)), AWAIT_RESPONSE)
                        .is(PROXY_INTERNAL_ERROR, AWAIT_RESPONSE),
                c("UpstreamFailureException carries its verdict", () -> new UpstreamFailureException(
                        new UpstreamFailure(HTTP_PROTOCOL_ERROR, READ_HEAD, Map.of(), "bare LF in header value", null)),
                        READ_BODY).is(HTTP_PROTOCOL_ERROR, READ_HEAD));
    }

    static Stream<Case> jdkChains() {
        return Stream.of(
                c("ExecutionException(ConnectException) (Jetty)",
                        () -> new ExecutionException(new ConnectException(SECRET)), UNKNOWN).is(CONNECTION_REFUSED, CONNECT),
                c("CompletionException(IOException(ConnectException))",
                        () -> new CompletionException(new IOException(SECRET, new ConnectException(SECRET))), UNKNOWN)
                        .is(CONNECTION_REFUSED, CONNECT),
                c("HttpConnectTimeoutException(ConnectException) (JDK HttpClient)",
                        () -> causedBy(new HttpConnectTimeoutException("HTTP connect timed out"),
                                new ConnectException("HTTP connect timed out")), UNKNOWN).is(CONNECTION_TIMEOUT, CONNECT),
                c("ConnectException(HttpConnectTimeoutException(ConnectException)) (JDK HttpClient send())",
                        () -> causedBy(new ConnectException("HTTP connect timed out"),
                                causedBy(new HttpConnectTimeoutException("HTTP connect timed out"),
                                        new ConnectException("HTTP connect timed out"))), UNKNOWN)
                        .is(CONNECTION_TIMEOUT, CONNECT),
                c("IOException(SocketException reset) mid body",
                        () -> new IOException(SECRET, new SocketException("Connection reset")), READ_BODY)
                        .is(HTTP_RESPONSE_INCOMPLETE, READ_BODY),
                c("SSLException(SocketException reset) mid body: the broken connection decides",
                        () -> new SSLException(SECRET, new SocketException("Connection reset")), READ_BODY)
                        .is(HTTP_RESPONSE_INCOMPLETE, READ_BODY),
                c("UncheckedIOException(UpstreamFailureException)", () -> new UncheckedIOException(new UpstreamFailureException(
                        new UpstreamFailure(HTTP_RESPONSE_HEADER_SIZE, READ_HEAD, Map.of("header-name", "x-big"),
                                "header over the limit", null))), UNKNOWN)
                        .is(HTTP_RESPONSE_HEADER_SIZE, READ_HEAD).with("header-name", "x-big"),
                c("SSLHandshakeException(EOFException) 'Remote host terminated the handshake'",
                        () -> new SSLHandshakeException("Remote host terminated the handshake"), CONNECT)
                        .is(TLS_PROTOCOL_ERROR, TLS_HANDSHAKE));
    }

    static Stream<Case> jetty() {
        return Stream.of(
                c("Jetty HttpResponseException(BadMessageException 'Bad status')",
                        () -> new org.eclipse.jetty.client.HttpResponseException("HTTP protocol violation: bad response on "
                                + SECRET, null, new org.eclipse.jetty.http.BadMessageException(400, "Bad status")),
                        AWAIT_RESPONSE).is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("Jetty HttpException.RuntimeException 'Response Header Bytes Too Large'",
                        () -> new org.eclipse.jetty.client.HttpResponseException("bad response", null,
                                new org.eclipse.jetty.http.HttpException.RuntimeException(400,
                                        "Response Header Bytes Too Large")), AWAIT_RESPONSE)
                        .is(HTTP_RESPONSE_HEADER_SECTION_SIZE, READ_HEAD),
                c("Jetty HttpResponseException(HttpException.RuntimeException 'Early EOF')",
                        () -> new org.eclipse.jetty.client.HttpResponseException("bad response", null,
                                new org.eclipse.jetty.http.HttpException.RuntimeException(400, "Early EOF")), AWAIT_RESPONSE)
                        .is(HTTP_RESPONSE_INCOMPLETE, READ_HEAD),
                c("Jetty HttpException.IllegalArgumentException",
                        () -> new org.eclipse.jetty.http.HttpException.IllegalArgumentException(400, SECRET), UNKNOWN)
                        .is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("Jetty HttpResponseException alone", () -> new org.eclipse.jetty.client.HttpResponseException(SECRET, null),
                        READ_HEAD).is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("Jetty EofException before response", () -> new org.eclipse.jetty.io.EofException(SECRET), AWAIT_RESPONSE)
                        .is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("Jetty EofException mid body", () -> new org.eclipse.jetty.io.EofException(SECRET), READ_BODY)
                        .is(HTTP_RESPONSE_INCOMPLETE, READ_BODY),
                c("Jetty ExecutionException(TimeoutException 'Total timeout')",
                        () -> new ExecutionException(new TimeoutException("Total timeout 500 ms elapsed")), AWAIT_RESPONSE)
                        .is(HTTP_RESPONSE_TIMEOUT, AWAIT_RESPONSE));
    }

    static Stream<Case> netty() {
        SocketAddress address = InetSocketAddress.createUnresolved("secret-host.internal", 80);
        return Stream.of(
                c("Netty ConnectTimeoutException (extends ConnectException)",
                        () -> new io.netty.channel.ConnectTimeoutException("connection timed out after 100 ms: " + SECRET),
                        UNKNOWN).is(CONNECTION_TIMEOUT, CONNECT),
                c("Netty AnnotatedConnectException", () -> construct("io.netty.channel.AbstractChannel$AnnotatedConnectException",
                        new Class<?>[] {ConnectException.class, SocketAddress.class},
                        new ConnectException("Connection refused"), address), UNKNOWN).is(CONNECTION_REFUSED, CONNECT),
                c("Netty AnnotatedNoRouteToHostException", () -> construct(
                        "io.netty.channel.AbstractChannel$AnnotatedNoRouteToHostException",
                        new Class<?>[] {NoRouteToHostException.class, SocketAddress.class},
                        new NoRouteToHostException(SECRET), address), UNKNOWN).is(DESTINATION_IP_UNROUTABLE, CONNECT),
                c("Netty ReadTimeoutException awaiting response", io.netty.handler.timeout.ReadTimeoutException::new,
                        AWAIT_RESPONSE).is(HTTP_RESPONSE_TIMEOUT, AWAIT_RESPONSE),
                c("Netty ReadTimeoutException mid body", io.netty.handler.timeout.ReadTimeoutException::new, READ_BODY)
                        .is(CONNECTION_READ_TIMEOUT, READ_BODY),
                c("Netty WriteTimeoutException", io.netty.handler.timeout.WriteTimeoutException::new, UNKNOWN)
                        .is(CONNECTION_WRITE_TIMEOUT, SEND_REQUEST),
                c("Netty SslHandshakeTimeoutException", () -> new io.netty.handler.ssl.SslHandshakeTimeoutException(SECRET),
                        CONNECT).is(CONNECTION_TIMEOUT, TLS_HANDSHAKE),
                c("Netty DecoderException(NotSslRecordException)", () -> new io.netty.handler.codec.DecoderException(
                        new io.netty.handler.ssl.NotSslRecordException(SECRET)), UNKNOWN).is(TLS_PROTOCOL_ERROR, TLS_HANDSHAKE),
                c("Netty DecoderException(SSLHandshakeException(CertificateException))",
                        () -> new io.netty.handler.codec.DecoderException(causedBy(new SSLHandshakeException(SECRET),
                                new CertificateException(SECRET))), CONNECT).is(TLS_CERTIFICATE_ERROR, TLS_HANDSHAKE),
                c("Reactor PrematureCloseException BEFORE response", () -> construct(
                        "reactor.netty.http.client.PrematureCloseException", new Class<?>[] {String.class},
                        "Connection prematurely closed BEFORE response"), UNKNOWN).is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("observed part of the head: Reactor PrematureCloseException BEFORE response", () -> construct(
                        "reactor.netty.http.client.PrematureCloseException", new Class<?>[] {String.class},
                        "Connection prematurely closed BEFORE response"), READ_HEAD).is(HTTP_RESPONSE_INCOMPLETE, READ_HEAD),
                c("Reactor PrematureCloseException DURING response", () -> construct(
                        "reactor.netty.http.client.PrematureCloseException", new Class<?>[] {String.class},
                        "Connection prematurely closed DURING response"), UNKNOWN).is(HTTP_RESPONSE_INCOMPLETE, READ_BODY),
                c("Reactor PrematureCloseException without a known message", () -> construct(
                        "reactor.netty.http.client.PrematureCloseException", new Class<?>[] {Throwable.class},
                        new SocketException("Connection reset")), READ_HEAD).is(HTTP_RESPONSE_INCOMPLETE, READ_HEAD),
                c("Reactor AbortedException before send", reactor.netty.channel.AbortedException::beforeSend, SEND_REQUEST)
                        .is(CONNECTION_TERMINATED, SEND_REQUEST),
                c("Netty TooLongHttpHeaderException", () -> new io.netty.handler.codec.http.TooLongHttpHeaderException(
                        "HTTP header is larger than 8192 bytes."), UNKNOWN).is(HTTP_RESPONSE_HEADER_SECTION_SIZE, READ_HEAD),
                c("Netty TooLongHttpLineException", () -> new io.netty.handler.codec.http.TooLongHttpLineException(SECRET),
                        UNKNOWN).is(HTTP_RESPONSE_HEADER_SECTION_SIZE, READ_HEAD),
                c("Netty TooLongFrameException", () -> new io.netty.handler.codec.TooLongFrameException(SECRET), UNKNOWN)
                        .is(HTTP_RESPONSE_HEADER_SECTION_SIZE, READ_HEAD),
                c("Netty TooLongHttpContentException", () -> new io.netty.handler.codec.http.TooLongHttpContentException(
                        SECRET), UNKNOWN).is(HTTP_RESPONSE_BODY_SIZE, READ_BODY),
                c("Netty InvalidChunkExtensionException", () -> new io.netty.handler.codec.http.InvalidChunkExtensionException(
                        SECRET), READ_BODY).is(HTTP_RESPONSE_TRANSFER_CODING, READ_BODY).with("coding", "chunked"),
                c("Netty InvalidChunkTerminationException", () ->
                        new io.netty.handler.codec.http.InvalidChunkTerminationException(SECRET), READ_BODY)
                        .is(HTTP_RESPONSE_TRANSFER_CODING, READ_BODY).with("coding", "chunked"),
                c("Netty InvalidLineSeparatorException", io.netty.handler.codec.http.InvalidLineSeparatorException::new,
                        AWAIT_RESPONSE).is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("Netty ContentLengthNotAllowedException", () ->
                        new io.netty.handler.codec.http.ContentLengthNotAllowedException(SECRET), AWAIT_RESPONSE)
                        .is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("Netty TransferEncodingNotAllowedException", () ->
                        new io.netty.handler.codec.http.TransferEncodingNotAllowedException(SECRET), AWAIT_RESPONSE)
                        .is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("Netty CorruptedFrameException", () -> new io.netty.handler.codec.CorruptedFrameException(SECRET), READ_BODY)
                        .is(HTTP_PROTOCOL_ERROR, READ_BODY),
                c("Netty DecoderException alone", () -> new io.netty.handler.codec.DecoderException(SECRET), UNKNOWN)
                        .is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("Netty DecoderException(IllegalArgumentException)", () -> new io.netty.handler.codec.DecoderException(
                        new IllegalArgumentException(SECRET)), UNKNOWN).is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("Netty PrematureChannelClosureException mid body", () ->
                        new io.netty.handler.codec.PrematureChannelClosureException(SECRET), READ_BODY)
                        .is(HTTP_RESPONSE_INCOMPLETE, READ_BODY),
                c("Netty StacklessClosedChannelException before response", () ->
                        io.netty.channel.StacklessClosedChannelException.newInstance(FailureClassifiersTest.class, "x"),
                        AWAIT_RESPONSE).is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("Reactor pool PoolAcquireTimeoutException (a TimeoutException)", () ->
                        new reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException(Duration.ofSeconds(45)),
                        UNKNOWN).is(CONNECTION_LIMIT_REACHED, CONNECT),
                c("Reactor pool PoolAcquirePendingLimitException", () ->
                        new reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException(10), UNKNOWN)
                        .is(CONNECTION_LIMIT_REACHED, CONNECT),
                c("Netty DnsNameResolverTimeoutException", () -> new io.netty.resolver.dns.DnsNameResolverTimeoutException(
                        new InetSocketAddress(0), new DefaultDnsQuestion("secret-host.internal", DnsRecordType.A), SECRET),
                        UNKNOWN).is(DNS_TIMEOUT, RESOLVE),
                c("UnknownHostException(DnsNameResolverTimeoutException): the timeout is more specific", () -> causedBy(
                        new UnknownHostException(SECRET), new io.netty.resolver.dns.DnsNameResolverTimeoutException(
                                new InetSocketAddress(0), new DefaultDnsQuestion("secret-host.internal", DnsRecordType.A),
                                SECRET)), UNKNOWN).is(DNS_TIMEOUT, RESOLVE),
                c("Netty DnsNameResolverException", () -> new io.netty.resolver.dns.DnsNameResolverException(
                        new InetSocketAddress(0), new DefaultDnsQuestion("secret-host.internal", DnsRecordType.A), SECRET),
                        UNKNOWN).is(DNS_ERROR, RESOLVE),
                c("UnknownHostException(DnsErrorCauseException NXDOMAIN) gets the rcode", () -> causedBy(
                        new UnknownHostException(SECRET), dnsErrorCause(DnsResponseCode.NXDOMAIN)), UNKNOWN)
                        .is(DNS_ERROR, RESOLVE).with("rcode", "NXDOMAIN"),
                c("DnsErrorCauseException SERVFAIL", () -> dnsErrorCause(DnsResponseCode.SERVFAIL), UNKNOWN)
                        .is(DNS_ERROR, RESOLVE).with("rcode", "SERVFAIL"),
                c("DnsErrorCauseException with an extended rcode has none", () -> dnsErrorCause(DnsResponseCode.BADKEY),
                        UNKNOWN).is(DNS_ERROR, RESOLVE));
    }

    static Stream<Case> apache() {
        return Stream.of(
                c("Apache ConnectTimeoutException (extends SocketTimeoutException)",
                        () -> new org.apache.hc.client5.http.ConnectTimeoutException(SECRET), AWAIT_RESPONSE)
                        .is(CONNECTION_TIMEOUT, CONNECT),
                c("Apache HttpHostConnectException", () -> new org.apache.hc.client5.http.HttpHostConnectException(SECRET),
                        UNKNOWN).is(CONNECTION_REFUSED, CONNECT),
                c("Apache NoHttpResponseException", () -> new org.apache.hc.core5.http.NoHttpResponseException(SECRET),
                        UNKNOWN).is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("Apache ConnectionClosedException phase unknown", () ->
                        new org.apache.hc.core5.http.ConnectionClosedException(SECRET), UNKNOWN)
                        .is(HTTP_RESPONSE_INCOMPLETE, UNKNOWN),
                c("Apache ConnectionClosedException before response", () ->
                        new org.apache.hc.core5.http.ConnectionClosedException(SECRET), AWAIT_RESPONSE)
                        .is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("Apache RequestNotExecutedException", () -> new org.apache.hc.core5.http.RequestNotExecutedException(),
                        SEND_REQUEST).is(CONNECTION_TERMINATED, SEND_REQUEST),
                c("Apache TruncatedChunkException", () -> new org.apache.hc.core5.http.TruncatedChunkException(SECRET),
                        UNKNOWN).is(HTTP_RESPONSE_INCOMPLETE, READ_BODY),
                c("Apache MalformedChunkCodingException", () ->
                        new org.apache.hc.core5.http.MalformedChunkCodingException(SECRET), UNKNOWN)
                        .is(HTTP_RESPONSE_TRANSFER_CODING, READ_BODY).with("coding", "chunked"),
                c("Apache MessageConstraintException", () ->
                        new org.apache.hc.core5.http.MessageConstraintException("Maximum line length limit exceeded"),
                        UNKNOWN).is(HTTP_RESPONSE_HEADER_SECTION_SIZE, READ_HEAD),
                c("Apache ContentTooLongException", () -> new org.apache.hc.core5.http.ContentTooLongException(SECRET),
                        UNKNOWN).is(HTTP_RESPONSE_BODY_SIZE, READ_BODY),
                c("Apache ClientProtocolException(ProtocolException)", () ->
                        new org.apache.hc.client5.http.ClientProtocolException(
                                new org.apache.hc.core5.http.ProtocolException(SECRET)), AWAIT_RESPONSE)
                        .is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("Apache ParseException", () -> new org.apache.hc.core5.http.ParseException(SECRET), UNKNOWN)
                        .is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("Apache UnsupportedHttpVersionException", () ->
                        new org.apache.hc.core5.http.UnsupportedHttpVersionException(SECRET), UNKNOWN)
                        .is(HTTP_PROTOCOL_ERROR, READ_HEAD),
                c("Apache UnsupportedSchemeException", () -> new org.apache.hc.client5.http.UnsupportedSchemeException(SECRET),
                        UNKNOWN).is(PROXY_CONFIGURATION_ERROR, CONNECT),
                c("Apache ConnectionRequestTimeoutException (pool lease)", () ->
                        new org.apache.hc.core5.http.ConnectionRequestTimeoutException(SECRET), UNKNOWN)
                        .is(CONNECTION_LIMIT_REACHED, CONNECT),
                c("Apache DeadlineTimeoutException (pool lease)", () -> org.apache.hc.core5.util.DeadlineTimeoutException.from(
                        org.apache.hc.core5.util.Deadline.calculate(org.apache.hc.core5.util.TimeValue.ofMilliseconds(1))),
                        UNKNOWN).is(CONNECTION_LIMIT_REACHED, CONNECT),
                c("Apache HttpStreamResetException mid body", () ->
                        new org.apache.hc.core5.http.HttpStreamResetException(SECRET), READ_BODY)
                        .is(HTTP_RESPONSE_INCOMPLETE, READ_BODY));
    }

    static Stream<Case> okHttpAndSpring() {
        return Stream.of(
                c("OkHttp StreamResetException REFUSED_STREAM", () -> namedWithField(
                        "okhttp3.internal.http2.StreamResetException", IOException.class, "errorCode", "REFUSED_STREAM"),
                        READ_HEAD).is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("OkHttp StreamResetException CANCEL mid body", () -> namedWithField(
                        "okhttp3.internal.http2.StreamResetException", IOException.class, "errorCode", "CANCEL"),
                        READ_BODY).is(HTTP_RESPONSE_INCOMPLETE, READ_BODY),
                c("OkHttp ConnectionShutdownException", () -> named(
                        "okhttp3.internal.http2.ConnectionShutdownException", IOException.class, SECRET), SEND_REQUEST)
                        .is(CONNECTION_TERMINATED, SEND_REQUEST),
                c("OkHttp IOException 'unexpected end of stream'(EOFException)", () ->
                        new IOException("unexpected end of stream on " + SECRET, new EOFException("\\n not found")),
                        AWAIT_RESPONSE).is(CONNECTION_TERMINATED, AWAIT_RESPONSE),
                c("Spring Cloud Gateway TimeoutException", () -> named(
                        "org.springframework.cloud.gateway.support.TimeoutException", Exception.class, SECRET), UNKNOWN)
                        .is(HTTP_RESPONSE_TIMEOUT, AWAIT_RESPONSE),
                c("Spring Cloud Gateway TimeoutException awaiting response", () -> named(
                        "org.springframework.cloud.gateway.support.TimeoutException", Exception.class, SECRET),
                        AWAIT_RESPONSE).is(HTTP_RESPONSE_TIMEOUT, AWAIT_RESPONSE),
                c("unshaded reactor-pool PoolAcquireTimeoutException", () -> named(
                        "reactor.pool.PoolAcquireTimeoutException", TimeoutException.class, SECRET), UNKNOWN)
                        .is(CONNECTION_LIMIT_REACHED, CONNECT));
    }

    private static Throwable dnsErrorCause(DnsResponseCode code) {
        return invokeStatic("io.netty.resolver.dns.DnsErrorCauseException", "newStatic",
                new Class<?>[] {String.class, DnsResponseCode.class, Class.class, String.class},
                "Query failed with " + code, code, FailureClassifiersTest.class, "test");
    }

    /** An executor's rejection (a pool shutting down, a full queue) observed in {@code observed}. */
    private static Case rejected(Phase observed) {
        return c("RejectedExecutionException (executor shutting down) in " + observed, () -> new RejectedExecutionException(
                "Task x rejected from java.util.concurrent.ThreadPoolExecutor@1[Shutting down] " + SECRET), observed);
    }

    private static Case c(String name, Supplier<Throwable> failure, Phase observed) {
        return new Case(name, failure, observed, null, null, Map.of());
    }

    /** One row: a throwable, what the integration observed, and the verdict it must get. */
    record Case(String name, Supplier<Throwable> failure, Phase observed, ErrorType type, Phase phase,
                Map<String, Object> parameters) {

        Case is(ErrorType expectedType, Phase expectedPhase) {
            return new Case(name, failure, observed, expectedType, expectedPhase, parameters);
        }

        Case with(String parameter, Object value) {
            Map<String, Object> more = new java.util.LinkedHashMap<>(parameters);
            more.put(parameter, value);
            return new Case(name, failure, observed, type, phase, more);
        }

        @Override
        public String toString() {
            return name + " [observed " + observed + "] -> " + type.token() + " in " + phase;
        }
    }
}
