package dev.upstreamguard.jetty;

import com.sun.net.httpserver.HttpServer;
import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The install path without the distribution: an empty {@code $JETTY_BASE}, the module files fetched with
 * {@code start.jar --download=maven://…}, then {@code start.jar --add-modules=…} alone, which downloads every
 * jar and the Jetty XML that the modules' {@code [files]} sections list. The Maven repository is a directory
 * in {@code target/} in the layout of a remote repository (our just-built jars as a timestamped snapshot with
 * its {@code maven-metadata.xml}, the third-party jars and POMs that the build copied from the local
 * repository), served by a loopback HTTP server in this JVM and named with {@code maven.repo.uri}; start.jar's
 * own local repository is an empty directory, so every file has to come from that server. Then Jetty runs the
 * installed base on a free loopback port: one proxied 200, one refused upstream answered 502.
 */
class JettyModuleInstallIT {

    private static final String MODULES = "upstream-guard,upstream-guard-redis,upstream-guard-metrics";

    private static StartJar jetty;
    private static HttpServer repository;
    private static final List<String> served = new CopyOnWriteArrayList<>();
    private static MisbehavingUpstream upstream;
    private static Path work;
    private static Path base;
    private static StartJar.Run addModules;
    private static int port;

    @BeforeAll
    static void installFromTheRepositoryAndStart() throws Exception {
        jetty = StartJar.fromSystemProperties();
        work = Files.createTempDirectory(Files.createDirectories(Path.of(StartJar.required("ug.it.work"))), "install-");
        Path ours = publishOurArtifacts(work.resolve("repository"));
        repository = serve(ours, Path.of(StartJar.required("ug.it.repository")));
        String repositoryUri = "maven.repo.uri=http://127.0.0.1:" + repository.getAddress().getPort() + "/";
        String localRepository = "maven.local.repo=" + Files.createDirectory(work.resolve("start-jar-local-repository"));

        base = Files.createDirectory(work.resolve("jetty-base"));
        List<String> download = new ArrayList<>();
        for (String module : MODULES.split(",")) {
            download.add("--download=maven://" + ModuleFiles.GROUP_ID + "/" + ModuleFiles.ARTIFACT_ID + "/" + version()
                    + "/mod/" + module + "|modules/" + module + ".mod");
        }
        download.addAll(List.of(repositoryUri, localRepository));
        StartJar.Run modules = jetty.run(base, base.resolve("download.log"), download.toArray(String[]::new));
        assertThat(modules.exitCode()).as("start.jar --download:\n%s", modules.output()).isZero();

        addModules = jetty.run(base, base.resolve("add-modules.log"), "--add-modules=http," + MODULES,
                "--approve-all-licenses", repositoryUri, localRepository);
        assertThat(addModules.exitCode()).as("start.jar --add-modules:\n%s", addModules.output()).isZero();

        upstream = MisbehavingUpstream.start();
        port = StartJar.freePort();
        Path log = base.resolve("jetty.log");
        URI refused = upstream.refusedUri();
        Process server = jetty.start(base, log, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port,
                "upstream-guard.routes=faults=/fault->" + upstream.baseUri() + ";refused=/refused->"
                        + refused.getScheme() + "://" + refused.getRawAuthority());
        StartJar.awaitListening(server, log, port);
    }

    @AfterAll
    static void stopEverything() {
        if (jetty != null) {
            jetty.stopAll();
        }
        if (repository != null) {
            repository.stop(0);
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static String version() {
        return StartJar.required("ug.it.version");
    }

    /**
     * Our artifacts as a deploy puts them in a remote repository: a SNAPSHOT under a timestamped file version
     * listed in {@code maven-metadata.xml} (what start.jar reads to find it), a release under its version.
     */
    private static Path publishOurArtifacts(Path root) throws IOException {
        String version = version();
        Path dir = Files.createDirectories(root.resolve(ModuleFiles.GROUP_ID.replace('.', '/'))
                .resolve(ModuleFiles.ARTIFACT_ID).resolve(version));
        String timestamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd.HHmmss"));
        String fileVersion = version.endsWith("-SNAPSHOT") ? version.replace("-SNAPSHOT", "-" + timestamp + "-1") : version;
        Path target = Path.of(StartJar.required("ug.it.target"));
        String finalName = StartJar.required("ug.it.final-name");
        List<String[]> files = new ArrayList<>();   // classifier, extension, source
        files.add(new String[] {null, "pom", "pom.xml"});
        files.add(new String[] {"jetty-lib", "jar", target.resolve(finalName + "-jetty-lib.jar").toString()});
        files.add(new String[] {"jetty-metrics-lib", "jar", target.resolve(finalName + "-jetty-metrics-lib.jar").toString()});
        for (String module : MODULES.split(",")) {
            files.add(new String[] {module, "mod", "src/main/jetty-base/modules/" + module + ".mod"});
        }
        files.add(new String[] {"upstream-guard", "xml", "src/main/jetty-base/etc/upstream-guard.xml"});
        files.add(new String[] {"upstream-guard-metrics", "xml", "src/main/jetty-base/etc/upstream-guard-metrics.xml"});

        StringBuilder snapshotVersions = new StringBuilder();
        for (String[] file : files) {
            String name = ModuleFiles.ARTIFACT_ID + "-" + fileVersion + (file[0] == null ? "" : "-" + file[0]) + "." + file[1];
            Files.copy(Path.of(file[2]), dir.resolve(name));
            snapshotVersions.append("      <snapshotVersion>")
                    .append(file[0] == null ? "" : "<classifier>" + file[0] + "</classifier>")
                    .append("<extension>").append(file[1]).append("</extension><value>").append(fileVersion)
                    .append("</value></snapshotVersion>\n");
        }
        if (!fileVersion.equals(version)) {
            String[] parts = timestamp.split("\\.");
            Files.writeString(dir.resolve("maven-metadata.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata>\n"
                    + "  <groupId>" + ModuleFiles.GROUP_ID + "</groupId>\n  <artifactId>" + ModuleFiles.ARTIFACT_ID + "</artifactId>\n"
                    + "  <version>" + version + "</version>\n  <versioning>\n"
                    + "    <snapshot><timestamp>" + timestamp + "</timestamp><buildNumber>1</buildNumber></snapshot>\n"
                    + "    <lastUpdated>" + parts[0] + parts[1] + "</lastUpdated>\n"
                    + "    <snapshotVersions>\n" + snapshotVersions + "    </snapshotVersions>\n  </versioning>\n</metadata>\n",
                    StandardCharsets.UTF_8);
        }
        return root;
    }

    /** A read-only repository over {@code roots} (first match wins) on a loopback port, recording each path served. */
    private static HttpServer serve(Path... roots) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath().substring(1);
                for (Path root : roots) {
                    Path file = root.resolve(path).normalize();
                    if (file.startsWith(root) && Files.isRegularFile(file) && exchange.getRequestMethod().equals("GET")) {
                        served.add(path);
                        exchange.sendResponseHeaders(200, Files.size(file));
                        try (OutputStream body = exchange.getResponseBody()) {
                            Files.copy(file, body);
                        }
                        return;
                    }
                }
                exchange.sendResponseHeaders(404, -1);
            }
        });
        server.start();
        return server;
    }

    /** The destinations of a module's [files] lines. */
    private static List<String> filesOf(Path mod) throws IOException {
        String text = Files.readString(mod);
        int start = text.indexOf("\n[files]\n") + "\n[files]\n".length();
        List<String> destinations = new ArrayList<>();
        for (String line : text.substring(start).split("\n")) {
            if (line.isBlank() || line.startsWith("[")) {
                break;
            }
            destinations.add(line.substring(line.indexOf('|') + 1));
        }
        return destinations;
    }

    private static Set<String> filesUnder(Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> names.add(base.relativize(f).toString()));
        }
        return names;
    }

    @Test
    void add_modules_fetched_every_jar_and_xml_of_the_files_sections_from_the_repository() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (String module : MODULES.split(",")) {
            expected.addAll(filesOf(base.resolve("modules/" + module + ".mod")));
        }
        assertThat(expected).contains("lib/upstream-guard/" + ModuleFiles.ARTIFACT_ID + "-" + version() + "-jetty-lib.jar",
                "etc/upstream-guard.xml", "etc/upstream-guard-metrics.xml");
        Set<String> arrived = filesUnder(base.resolve("lib"));
        arrived.addAll(filesUnder(base.resolve("etc")));
        assertThat(arrived).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(base.resolve("etc/upstream-guard.xml")).hasSameTextualContentAs(Path.of("src/main/jetty-base/etc/upstream-guard.xml"));
        assertThat(served).as("each file came from the repository server")
                .anyMatch(p -> p.endsWith("-jetty-lib.jar")).anyMatch(p -> p.endsWith("-upstream-guard.xml"))
                .anyMatch(p -> p.endsWith("maven-metadata.xml") || !version().endsWith("-SNAPSHOT"))
                .anyMatch(p -> p.startsWith("com/bucket4j/bucket4j_jdk17-core/"))
                .anyMatch(p -> p.startsWith("io/lettuce/lettuce-core/"))
                .anyMatch(p -> p.startsWith("io/micrometer/micrometer-core/"));
        assertThat(base.resolve("start.d/upstream-guard.ini")).exists();
    }

    @Test
    void start_jar_showed_the_licences_it_was_told_to_approve() {
        assertThat(addModules.output()).contains("All Licenses Approved via Command Line Option");
    }

    @Test
    void without_approval_start_jar_shows_the_licence_and_downloads_nothing() throws Exception {
        Path other = Files.createDirectories(work.resolve("jetty-base-unapproved/modules"));
        Files.copy(Path.of("src/main/jetty-base/modules/upstream-guard.mod"), other.resolve("upstream-guard.mod"));
        Path dir = other.getParent();
        StartJar.Run run = jetty.run(dir, dir.resolve("add-modules.log"), "--add-modules=upstream-guard",
                "maven.repo.uri=http://127.0.0.1:" + repository.getAddress().getPort() + "/",
                "maven.local.repo=" + Files.createDirectory(work.resolve("start-jar-local-repository-unapproved")));
        assertThat(run.exitCode()).as("output:\n%s", run.output()).isNotZero();
        assertThat(run.output()).contains("Upstream Guard is licensed under the Apache License, Version 2.0")
                .contains("bucket4j_jdk17-core");
        assertThat(dir.resolve("lib")).doesNotExist();
    }

    @Test
    void a_proxied_request_is_answered_by_the_upstream() throws IOException {
        RawHttp.Exchange exchange = RawHttp.get(port, Fault.CONTROL_OK.path(), 10_000);
        assertThat(exchange.status()).as("Jetty log:\n%s", Files.readString(base.resolve("jetty.log"))).isEqualTo(200);
        assertThat(exchange.body()).isEqualTo(MisbehavingUpstream.CONTROL_BODY);
    }

    @Test
    void a_refused_upstream_is_a_502_connection_refused() throws IOException {
        RawHttp.Exchange exchange = RawHttp.get(port, "/refused", 10_000);
        assertThat(exchange.status()).isEqualTo(502);
        assertThat(exchange.header("Proxy-Status")).isEqualTo("upstream-guard;error=connection_refused");
    }

    private static Set<String> distributionFiles() throws IOException {
        Set<String> names = new TreeSet<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Path.of(StartJar.required("ug.it.distribution"))))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (!entry.isDirectory()) {
                    names.add(entry.getName());
                }
            }
        }
        return names;
    }

    /** The offline path: the distribution already holds every file of [files], so start.jar downloads nothing. */
    @Test
    void the_distribution_holds_exactly_the_files_the_modules_would_download() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (String module : MODULES.split(",")) {
            expected.addAll(filesOf(Path.of("src/main/jetty-base/modules/" + module + ".mod")));
        }
        assertThat(distributionFiles()).filteredOn(name -> name.startsWith("lib/") || name.startsWith("etc/"))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The texts of the licences NOTICE names: Apache 2.0, MIT (Lettuce's own, Redis authx core), MIT-0, CC0/BSD-2. */
    @Test
    void the_distribution_carries_the_licence_texts_of_what_it_bundles() throws IOException {
        assertThat(distributionFiles()).contains("licenses/upstream-guard/LICENSE", "licenses/upstream-guard/NOTICE",
                "licenses/upstream-guard/README.txt", "licenses/upstream-guard/lettuce-core/META-INF/LICENSE",
                "licenses/upstream-guard/MIT-redis-authx-core.txt", "licenses/upstream-guard/MIT-0-reactive-streams.txt",
                "licenses/upstream-guard/HdrHistogram/META-INF/LICENSE.txt")
                .noneMatch(name -> name.startsWith("licenses/upstream-guard/slf4j-api/"));
    }
}
