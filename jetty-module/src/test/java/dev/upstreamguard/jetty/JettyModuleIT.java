package dev.upstreamguard.jetty;

import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution (the offline install path) in a real jetty-home 12.1.12: a fresh {@code $JETTY_BASE} with
 * our zip unpacked, {@code start.jar --add-modules=http,upstream-guard --approve-all-licenses} (which finds
 * every file of the modules' {@code [files]} in place and downloads nothing), then Jetty started as a separate process on a free
 * loopback port, proxying to the test kit's misbehaving upstream in this JVM. Every process is destroyed
 * at the end, failed or not. Paths come from failsafe's system properties (see the pom).
 */
class JettyModuleIT {

    private static StartJar jetty;
    private static Path base;
    private static MisbehavingUpstream upstream;
    private static int port;

    @BeforeAll
    static void startJettyWithTheModule() throws Exception {
        jetty = StartJar.fromSystemProperties();
        base = newBase("http,upstream-guard");
        assertThat(base.resolve("start.d/upstream-guard.ini")).exists();
        assertThat(Files.readString(base.resolve("start.d/upstream-guard.ini"))).contains("# upstream-guard.timeouts.connect=5s");

        upstream = MisbehavingUpstream.start();
        port = StartJar.freePort();
        Path log = base.resolve("jetty.log");
        Process server = jetty.start(base, log, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port,
                "upstream-guard.routes=faults=/fault->" + upstream.baseUri() + ";refused=/refused->" + authority(upstream.refusedUri()),
                "upstream-guard.timeouts.response-head=1s",
                "upstream-guard.exposure.mode=never");
        StartJar.awaitListening(server, log, port);
    }

    /** A fresh $JETTY_BASE with the distribution unpacked and {@code modules} added by start.jar. */
    private static Path newBase(String modules) throws Exception {
        Path work = Files.createDirectories(Path.of(StartJar.required("ug.it.work")));
        Path dir = Files.createTempDirectory(work, "jetty-base-");
        StartJar.unzip(Path.of(StartJar.required("ug.it.distribution")), dir);
        StartJar.Run addModules = jetty.run(dir, dir.resolve("add-modules.log"), "--add-modules=" + modules,
                "--approve-all-licenses");
        assertThat(addModules.exitCode()).as("start.jar --add-modules:\n%s", addModules.output()).isZero();
        assertThat(addModules.output()).as("the offline path: every file of [files] is in the distribution")
                .doesNotContain("download");
        return dir;
    }

    @AfterAll
    static void stopEverything() {
        if (jetty != null) {
            jetty.stopAll();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void a_refused_upstream_is_a_502_connection_refused() throws IOException {
        RawHttp.Exchange exchange = RawHttp.get(port, "/refused", 10_000);
        assertThat(exchange.status()).isEqualTo(502);
        assertThat(exchange.header("Proxy-Status")).isEqualTo("upstream-guard;error=connection_refused");
        assertThat(exchange.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void a_stalled_upstream_is_a_504_at_the_response_head_timeout() throws IOException {
        RawHttp.Exchange exchange = RawHttp.get(port, Fault.STALL.path(), 10_000);
        assertThat(exchange.status()).isEqualTo(504);
        assertThat(exchange.header("Proxy-Status")).isEqualTo("upstream-guard;error=http_response_timeout");
    }

    @Test
    void the_control_path_passes_byte_for_byte() throws IOException {
        RawHttp.Exchange exchange = RawHttp.get(port, Fault.CONTROL_OK.path(), 10_000);
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.body()).isEqualTo(MisbehavingUpstream.CONTROL_BODY);
        assertThat(exchange.header("Proxy-Status")).isNull();
    }

    @Test
    void a_path_on_no_route_goes_on_to_jetty() throws IOException {
        assertThat(RawHttp.get(port, "/not-routed", 10_000).status()).isEqualTo(404);
    }

    @Test
    void an_invalid_property_stops_the_start_naming_it() throws Exception {
        StartJar.Run run = jetty.run(base, base.resolve("invalid.log"), "jetty.http.host=127.0.0.1", "jetty.http.port=" + StartJar.freePort(),
                "upstream-guard.routes=faults=/fault->" + upstream.baseUri(), "upstream-guard.exposure.mode=everyone");
        assertThat(run.exitCode()).as("exit code; output:\n%s", run.output()).isNotZero();
        assertThat(run.output()).contains("Invalid value 'everyone' for 'upstream-guard.exposure.mode': accepted one of never, trusted, always");
    }

    /** The values travel through start.jar and the XML whole: '=', ',' and ';' inside a property value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "upstream-guard.route-policy=faults.retry.conditions=connect-failure,reset;faults.retry.max-attempts=many"
                    + " | Invalid value 'many' for 'upstream-guard.route-policy: faults.retry.max-attempts'",
            "upstream-guard.tls.trust-store.path=missing-trust.p12 | for 'upstream-guard.tls.trust-store.path'",
    })
    void an_invalid_route_policy_or_tls_value_stops_the_start_naming_it(String property, String message) throws Exception {
        StartJar.Run run = jetty.run(base, base.resolve("invalid-" + property.hashCode() + ".log"), "jetty.http.host=127.0.0.1",
                "jetty.http.port=" + StartJar.freePort(), "upstream-guard.routes=faults=/fault->" + upstream.baseUri(), property);
        assertThat(run.exitCode()).as("exit code; output:\n%s", run.output()).isNotZero();
        assertThat(run.output()).contains(message);
    }

    @Test
    void a_misspelt_key_stops_the_start_naming_it() throws Exception {
        StartJar.Run run = jetty.run(base, base.resolve("misspelt.log"), "jetty.http.host=127.0.0.1", "jetty.http.port=" + StartJar.freePort(),
                "upstream-guard.routes=faults=/fault->" + upstream.baseUri(), "upstream-guard.timeouts.conect=1s");
        assertThat(run.exitCode()).as("exit code; output:\n%s", run.output()).isNotZero();
        assertThat(run.output()).contains("'upstream-guard.timeouts.conect': accepted no such property (set on the command line)");
    }

    @Test
    void redis_limits_need_the_redis_module() throws Exception {
        StartJar.Run run = jetty.run(base, base.resolve("redis-without-module.log"), "jetty.http.host=127.0.0.1", "jetty.http.port=" + StartJar.freePort(),
                "upstream-guard.routes=faults=/fault->" + upstream.baseUri(), "upstream-guard.limits.backend=redis",
                "upstream-guard.limits.redis.uri=" + redisUriThatRefuses(), "upstream-guard.limits.redis.failure-mode=allow");
        assertThat(run.exitCode()).as("exit code; output:\n%s", run.output()).isNotZero();
        assertThat(run.output()).contains("for 'upstream-guard.limits.backend'").contains("--add-modules=upstream-guard-redis");
    }

    @Test
    void with_the_redis_module_the_redis_client_loads_and_a_redis_that_is_down_does_not_stop_the_start() throws Exception {
        Path redisBase = newBase("http,upstream-guard,upstream-guard-redis");
        int redisPort = StartJar.freePort();
        Path log = redisBase.resolve("jetty.log");
        Process server = jetty.start(redisBase, log, "jetty.http.host=127.0.0.1", "jetty.http.port=" + redisPort,
                "upstream-guard.routes=faults=/fault->" + upstream.baseUri(), "upstream-guard.limits.backend=redis",
                "upstream-guard.limits.redis.uri=" + redisUriThatRefuses(), "upstream-guard.limits.redis.failure-mode=allow");
        StartJar.awaitListening(server, log, redisPort);
        RawHttp.Exchange exchange = RawHttp.get(redisPort, Fault.CONTROL_OK.path(), 10_000);
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(Files.readString(log)).doesNotContain("NoClassDefFoundError");
    }

    /** Issue 13's end-to-end check: the guard's meters, same names as the starter's scrape, through start.jar. */
    @Test
    void with_the_metrics_module_one_refused_request_later_the_scrape_counts_it() throws Exception {
        Path metricsBase = newBase("http,upstream-guard,upstream-guard-metrics");
        assertThat(Files.readString(metricsBase.resolve("start.d/upstream-guard-metrics.ini")))
                .contains("# upstream-guard.metrics.path=/upstream-guard/metrics");
        int metricsPort = StartJar.freePort();
        Path log = metricsBase.resolve("jetty.log");
        Process server = jetty.start(metricsBase, log, "jetty.http.host=127.0.0.1", "jetty.http.port=" + metricsPort,
                "upstream-guard.routes=refused=/refused->" + authority(upstream.refusedUri()));
        StartJar.awaitListening(server, log, metricsPort);

        assertThat(RawHttp.get(metricsPort, "/refused", 10_000).status()).isEqualTo(502);
        RawHttp.Exchange scrape = RawHttp.get(metricsPort, "/upstream-guard/metrics", 10_000);

        assertThat(scrape.status()).as("scrape; Jetty log:\n%s", Files.readString(log)).isEqualTo(200);
        assertThat(scrape.body())
                .containsPattern("(?m)^upstream_guard_failures_total\\{(?=[^}]*error_type=\"connection_refused\")"
                        + "(?=[^}]*route=\"refused\")(?=[^}]*status=\"502\")[^}]*\\} 1\\.0$")
                .containsPattern("(?m)^jvm_memory_used_bytes\\{")
                .containsPattern("(?m)^jetty_threads_busy ");
        assertThat(Files.readString(log)).doesNotContain("NoClassDefFoundError");
    }

    @Test
    void without_the_metrics_module_there_is_no_scrape() throws IOException {
        assertThat(RawHttp.get(port, "/upstream-guard/metrics", 10_000).status()).isEqualTo(404);
    }

    private static String redisUriThatRefuses() {
        return "redis://127.0.0.1:" + upstream.refusedUri().getPort();
    }

    private static String authority(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
