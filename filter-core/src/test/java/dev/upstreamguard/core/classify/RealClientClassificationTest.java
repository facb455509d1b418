package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real exceptions from a real client against the {@link MisbehavingUpstream} on loopback, classified with
 * the phase the client's own callbacks report. Each subclass lists, per probe, the verdict it must get
 * ({@code null}: the client accepts the response). Every attempt is appended to
 * {@code target/real-client-exceptions.md} for the README.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RealClientClassificationTest {

    static final String REFUSED = "refused";
    static final String CONNECT_TIMEOUT = "connect-timeout";
    static final String UNRESOLVABLE = "unresolvable";
    static final String TLS_TO_PLAIN_PORT = "tls-to-plain-port";

    private static final Path REPORT = Path.of("target", "real-client-exceptions.md");

    private MisbehavingUpstream upstream;
    private Server plainServer;
    private RealClient client;

    abstract String clientName();

    abstract RealClient newClient() throws Exception;

    @BeforeAll
    void start() throws Exception {
        upstream = MisbehavingUpstream.start();
        plainServer = plainHttpServer();
        client = newClient();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            client.close();
        } finally {
            upstream.close();
            plainServer.stop();
        }
    }

    static {
        JettyAssertions.disable();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("expectations")
    void classifiesWhatTheRealClientThrows(String probe, List<ErrorType> expected) throws IOException {
        RealClientAttempt attempt = client.get(uriFor(probe));
        UpstreamFailure verdict = attempt.failure() == null ? null
                : FailureClassifiers.classifyOrInternal(FailureClassifiers.defaults(), attempt.failure(), attempt.observed());
        record(probe, attempt, verdict);

        if (expected.isEmpty()) {
            assertThat(attempt.failure()).as("the client accepts this response").isNull();
        } else {
            assertThat(attempt.failure()).as("the client fails").isNotNull();
            assertThat(verdict.type()).as(attempt.describeFailure()).isIn(expected);
            assertThat(verdict.cause()).isSameAs(attempt.failure());
        }
    }

    /**
     * What a strict client reports, per probe: one of the listed types, or (none listed) no failure at
     * all. {@link #deviations()} replaces rows where the real client is more lenient or says less.
     */
    private static final Map<String, List<ErrorType>> STRICT_CLIENT = strictClient();

    /** The rows where this client differs from {@link #STRICT_CLIENT}. */
    abstract Map<String, List<ErrorType>> deviations();

    Stream<Arguments> expectations() {
        Map<String, List<ErrorType>> deviations = deviations();
        assertThat(STRICT_CLIENT).containsKeys(deviations.keySet().toArray(new String[0]));
        return STRICT_CLIENT.entrySet().stream().map(row ->
                Arguments.of(row.getKey(), deviations.getOrDefault(row.getKey(), row.getValue())));
    }

    /** A deviation: for {@code fault} the client fails with one of {@code expected}, or accepts it when none is given. */
    static Map.Entry<String, List<ErrorType>> row(Fault fault, ErrorType... expected) {
        return Map.entry(fault.name(), List.of(expected));
    }

    private static Map<String, List<ErrorType>> strictClient() {
        Map<String, List<ErrorType>> rows = new LinkedHashMap<>();
        rows.put(REFUSED, List.of(ErrorType.CONNECTION_REFUSED));
        rows.put(CONNECT_TIMEOUT, List.of(ErrorType.CONNECTION_TIMEOUT));
        rows.put(UNRESOLVABLE, List.of(ErrorType.DNS_ERROR));
        rows.put(TLS_TO_PLAIN_PORT, List.of(ErrorType.TLS_PROTOCOL_ERROR));
        rows.put(Fault.CONTROL_OK.name(), List.of());
        rows.put(Fault.RESET_BEFORE_RESPONSE.name(), List.of(ErrorType.CONNECTION_TERMINATED));
        rows.put(Fault.CLOSE_BEFORE_RESPONSE.name(), List.of(ErrorType.CONNECTION_TERMINATED));
        rows.put(Fault.CLOSE_MID_HEAD.name(), List.of(ErrorType.HTTP_RESPONSE_INCOMPLETE));
        rows.put(Fault.STALL.name(), List.of(ErrorType.HTTP_RESPONSE_TIMEOUT));
        rows.put(Fault.TRUNCATED_BODY_CONTENT_LENGTH.name(), List.of(ErrorType.HTTP_RESPONSE_INCOMPLETE));
        rows.put(Fault.TRUNCATED_BODY_CHUNKED.name(), List.of(ErrorType.HTTP_RESPONSE_INCOMPLETE));
        // the RST may discard the head before the client read it
        rows.put(Fault.RESET_MID_BODY.name(), List.of(ErrorType.HTTP_RESPONSE_INCOMPLETE, ErrorType.CONNECTION_TERMINATED));
        for (Fault badHead : List.of(Fault.INVALID_HEADER_NAME, Fault.BARE_LF_IN_VALUE, Fault.NUL_IN_VALUE,
                Fault.BAD_STATUS_LINE, Fault.HTTP09, Fault.STATUS_999, Fault.DUPLICATE_CONTENT_LENGTH,
                Fault.TLS_ON_PLAIN_PORT)) {
            rows.put(badHead.name(), List.of(ErrorType.HTTP_PROTOCOL_ERROR));
        }
        // every client here has one limit for the whole head (or counts lines), none names the header
        rows.put(Fault.HUGE_HEADER.name(), List.of(ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE));
        rows.put(Fault.HUGE_HEAD.name(), List.of(ErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE));
        rows.put(Fault.BAD_CHUNK_SIZE.name(), List.of(ErrorType.HTTP_RESPONSE_TRANSFER_CODING));
        return java.util.Collections.unmodifiableMap(rows);
    }

    private URI uriFor(String probe) {
        switch (probe) {
            case REFUSED:
                return upstream.refusedUri();
            case CONNECT_TIMEOUT:
                return upstream.connectTimeoutUri();
            case UNRESOLVABLE:
                return MisbehavingUpstream.unresolvableUri();
            case TLS_TO_PLAIN_PORT:
                return URI.create("https://127.0.0.1:" + ((ServerConnector) plainServer.getConnectors()[0]).getLocalPort() + "/");
            default:
                return upstream.uri(Fault.valueOf(probe));
        }
    }

    /**
     * A well-behaved plain-HTTP Jetty server: it answers a TLS ClientHello with "400 Bad Request" and a
     * close at once (the misbehaving upstream waits for the end of a request head that never comes).
     */
    private static Server plainHttpServer() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        server.start();
        return server;
    }

    private void record(String probe, RealClientAttempt attempt, UpstreamFailure verdict) throws IOException {
        String line = "| " + clientName() + " | " + probe + " | " + attempt.describeFailure() + " | "
                + (verdict == null ? "–" : attempt.observed() + " | " + verdict.type().token() + " (" + verdict.phase() + ")")
                + " |\n";
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
