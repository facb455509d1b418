package dev.upstreamguard.jetty;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.fail;

/**
 * A real jetty-home's {@code start.jar}, run as separate processes in a {@code $JETTY_BASE} with the test's
 * hosts file (only localhost resolves), no standard input and a temporary directory under {@code target/}. {@link #stopAll()} destroys every process it
 * started, failed or not. Paths come from failsafe's system properties (see the pom).
 */
final class StartJar {

    static final Duration PROCESS_DEADLINE = Duration.ofSeconds(40);

    private final Path jettyHome;
    private final Path hostsFile;
    private final Path tmpDir;
    private final List<Process> processes = new ArrayList<>();

    StartJar(Path jettyHome, Path hostsFile, Path tmpDir) {
        this.jettyHome = jettyHome;
        this.hostsFile = hostsFile;
        this.tmpDir = tmpDir;
    }

    /** The jetty-home and hosts file that failsafe names; temporary files in {@code <ug.it.work>/tmp}. */
    static StartJar fromSystemProperties() throws IOException {
        return new StartJar(Path.of(required("ug.it.jetty-home")), Path.of(required("ug.it.hosts-file")),
                Files.createDirectories(Path.of(required("ug.it.work"), "tmp")));
    }

    record Run(int exitCode, String output) {
    }

    /** Runs start.jar in the base to completion (or fails at the deadline), output in {@code log}. */
    Run run(Path dir, Path log, String... args) throws Exception {
        Process process = start(dir, log, args);
        if (!process.waitFor(PROCESS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("start.jar " + String.join(" ", args) + " still running after " + PROCESS_DEADLINE + ":\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    /** Starts start.jar in the base; standard input is closed at once (a question start.jar asks reads end of file). */
    Process start(Path dir, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hostsFile, "-Djava.io.tmpdir=" + tmpDir, "-jar", jettyHome.resolve("start.jar").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        processes.add(process);
        process.getOutputStream().close();
        return process;
    }

    /** Polls the port until Jetty accepts a connection; fails if Jetty exits or the deadline passes. */
    static void awaitListening(Process jetty, Path log, int port) throws Exception {
        long deadline = System.nanoTime() + PROCESS_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jetty.isAlive()) {
                fail("Jetty exited with " + jetty.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                jetty.waitFor(100, TimeUnit.MILLISECONDS);   // a bounded pause between attempts, not a race
            }
        }
        fail("Jetty did not listen on " + port + " within " + PROCESS_DEADLINE + ":\n" + Files.readString(log));
    }

    void stopAll() {
        for (Process process : processes) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            fail("system property " + property + " is not set: run this test with failsafe (mvn verify)");
        }
        return value;
    }

    static void unzip(Path zip, Path into) throws IOException {
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the base: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target);
                }
            }
        }
    }
}
