package dev.upstreamguard.jetty;

import dev.upstreamguard.core.policy.ConfigurationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The module's {@code tls.*} properties against real {@code https} upstreams on loopback whose certificates a
 * private CA made in this test signed: trust store, hostname verification (on by default), client
 * certificate, and a request that may have reached a TLS upstream is never sent twice. Bad values fail when
 * the handler is built, naming the property.
 */
class UpstreamTlsTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    private static final String PREFIX = JettyModuleConfiguration.PREFIX;

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static Path ipCertificate;
    private static Path otherNameCertificate;
    private static Path clientCertificate;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CLIENT_TIMEOUT).build();
    private TlsUpstream upstream;
    private ProxyServer proxy;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestPki.create(dir);
        ipCertificate = pki.issue("upstream-ip", "ip:127.0.0.1");
        otherNameCertificate = pki.issue("upstream-other", "dns:other-host.invalid");
        clientCertificate = pki.issue("proxy-client", "dns:proxy.invalid");
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static Map<String, String> trusting(String... keyValues) {
        Map<String, String> properties = new HashMap<>();
        properties.put(PREFIX + "tls.trust-store.path", pki.trustStore().toString());
        properties.put(PREFIX + "tls.trust-store.password", TestPki.PASSWORD);
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(PREFIX + keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    /** A proxy with route {@code t} from {@code /t} to the upstream, built from module properties. */
    private void startProxy(Map<String, String> properties) throws Exception {
        Map<String, String> all = new HashMap<>(properties);
        all.put(PREFIX + "routes", "t=/t->" + upstream.uri() + "!strip");
        all.put(PREFIX + "health.enabled", "false");
        proxy = ProxyServer.start(JettyModuleConfiguration.handler(all));
    }

    private HttpResponse<String> send(String method) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString("order=1");
        return client.send(HttpRequest.newBuilder(proxy.uri("/t/x")).method(method, body).timeout(CLIENT_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String proxyStatus(HttpResponse<?> response) {
        return response.headers().firstValue("Proxy-Status").orElse("");
    }

    @Test
    void aPrivateCaUpstreamIsReachedWithTheTrustStoreConfigured() throws Exception {
        upstream = TlsUpstream.answering(ipCertificate);
        startProxy(trusting("tls.protocols", "TLSv1.3,TLSv1.2"));

        HttpResponse<String> response = send("GET");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(TlsUpstream.BODY);
        assertThat(upstream.received()).isEqualTo(1);
    }

    @Test
    void withoutTheTrustStoreThePrivateCaUpstreamIsACertificateError() throws Exception {
        upstream = TlsUpstream.answering(ipCertificate);
        startProxy(Map.of());

        HttpResponse<String> response = send("GET");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(proxyStatus(response)).startsWith("upstream-guard;error=tls_certificate_error");
        assertThat(upstream.received()).isZero();
    }

    @Test
    void aCertificateForAnotherHostFailsByDefaultAndPassesOnlyWithTheOptOut() throws Exception {
        upstream = TlsUpstream.answering(otherNameCertificate);
        startProxy(trusting());

        HttpResponse<String> verified = send("GET");

        assertThat(verified.statusCode()).isEqualTo(502);
        assertThat(proxyStatus(verified)).startsWith("upstream-guard;error=tls_certificate_error");
        assertThat(upstream.received()).isZero();

        proxy.close();
        startProxy(trusting("tls.hostname-verification", "false"));

        HttpResponse<String> unverified = send("GET");

        assertThat(unverified.statusCode()).isEqualTo(200);
        assertThat(upstream.received()).isEqualTo(1);
    }

    @Test
    void anUpstreamRequiringAClientCertificateGetsTheConfiguredOne() throws Exception {
        upstream = TlsUpstream.requiringClientCertificate(ipCertificate, pki.trustStore());
        startProxy(trusting());

        HttpResponse<String> anonymous = send("GET");

        assertThat(anonymous.statusCode()).isEqualTo(502);
        assertThat(upstream.received()).isZero();

        proxy.close();
        startProxy(trusting("tls.key-store.path", clientCertificate.toString(), "tls.key-store.password",
                TestPki.PASSWORD, "tls.key-store.alias", "proxy-client"));

        HttpResponse<String> authenticated = send("GET");

        assertThat(authenticated.statusCode()).isEqualTo(200);
        assertThat(authenticated.body()).isEqualTo(TlsUpstream.BODY);
        assertThat(upstream.received()).isEqualTo(1);
    }

    /** The request was written over an established TLS connection: it may have been processed, so never again. */
    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "GET"})
    void byDefaultARequestToATlsUpstreamThatDroppedTheConnectionAfterReadingItArrivesOnce(String method)
            throws Exception {
        upstream = TlsUpstream.droppingAfterRequest(ipCertificate);
        startProxy(trusting());

        HttpResponse<String> response = send(method);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(proxyStatus(response)).startsWith("upstream-guard;error=connection_terminated");
        assertThat(upstream.received()).as("%s received by the upstream", method).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "tls.trust-store.path     | missing.p12 | is not a readable file",
            "tls.trust-store.type     | PKCS13      | this JVM has [",
            "tls.protocols            | TLSv1.3,TLSv9 | not 'TLSv9'",
            "tls.hostname-verification | maybe     | true or false",
    })
    void aBadTlsValueStopsTheStartNamingTheKeyAndWhatIsAccepted(String key, String value, String reason) {
        Map<String, String> properties = trusting(key, key.endsWith("path") ? dir.resolve(value).toString() : value);

        assertThatThrownBy(() -> JettyModuleConfiguration.handler(withRoute(properties)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'" + PREFIX + key + "'")
                .hasMessageContaining(value)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "tls.trust-store.password | trust  | the password of",
            "tls.key-store.password   | key    | the password of",
            "tls.key-store.password   | none   | nothing unless upstream-guard.tls.key-store.path is set",
    })
    void aWrongPasswordIsNamedButNeverShown(String key, String store, String reason) {
        Map<String, String> properties = trusting();
        if (store.equals("key")) {
            properties.put(PREFIX + "tls.key-store.path", clientCertificate.toString());
        }
        properties.put(PREFIX + key, "s3cret-wrong");

        assertThatThrownBy(() -> JettyModuleConfiguration.handler(withRoute(properties)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'" + PREFIX + key + "'")
                .hasMessageContaining(UpstreamTlsProperties.MASK)
                .hasMessageContaining(reason)
                .hasMessageNotContaining("s3cret-wrong");
    }

    @Test
    void anUnknownAliasNamesTheAliasesTheKeyStoreHas() {
        Map<String, String> properties = trusting("tls.key-store.path", clientCertificate.toString(),
                "tls.key-store.password", TestPki.PASSWORD, "tls.key-store.alias", "nobody");

        assertThatThrownBy(() -> JettyModuleConfiguration.handler(withRoute(properties)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'" + PREFIX + "tls.key-store.alias'")
                .hasMessageContaining("[proxy-client]");
    }

    @Test
    void aFileThatIsNoKeyStoreIsNamed() throws IOException {
        Path text = Files.writeString(dir.resolve("not-a-store.txt"), "hello");

        assertThatThrownBy(() -> JettyModuleConfiguration.handler(withRoute(trusting("tls.trust-store.path", text.toString()))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'" + PREFIX + "tls.trust-store.path'")
                .hasMessageContaining("a PKCS12 key store file");
    }

    @Test
    void hostnameVerificationIsOnByDefault() {
        assertThat(JettyModuleConfiguration.handler(withRoute(new HashMap<>())).config().tls())
                .isEqualTo(UpstreamTls.DEFAULTS);
        assertThat(UpstreamTls.DEFAULTS.hostnameVerification()).isTrue();
    }

    private static Map<String, String> withRoute(Map<String, String> properties) {
        properties.put(PREFIX + "routes", "t=/t->" + URI.create("https://127.0.0.1:8443"));
        return properties;
    }
}
