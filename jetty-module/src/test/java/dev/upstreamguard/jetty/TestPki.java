package dev.upstreamguard.jetty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority made for a test with the JDK's {@code keytool} (no extra dependency): a CA
 * key store, a trust store holding only the CA's certificate, and leaf key stores (EC P-256) signed by the CA
 * with the subject alternative names a test needs. Every store is PKCS12 with password {@link #PASSWORD}.
 */
final class TestPki {
    static final String PASSWORD = "changeit";

    private final Path dir;
    private final Path ca;
    private final Path caPem;
    private final Path trustStore;

    private TestPki(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.ca = dir.resolve("ca.p12");
        this.caPem = dir.resolve("ca.pem");
        this.trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Upstream Guard Test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", trustStore.toString());
    }

    /** A new CA in {@code dir}. */
    static TestPki create(Path dir) throws IOException, InterruptedException {
        return new TestPki(dir);
    }

    /** The trust store with the CA's certificate only. */
    Path trustStore() {
        return trustStore;
    }

    /**
     * A key store {@code <name>.p12} with one private key entry (alias {@code name}) whose certificate the CA
     * signed, with subject alternative names {@code san} in keytool syntax (e.g. {@code ip:127.0.0.1}).
     */
    Path issue(String name, String san) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        // made in the CA's store, signed by its key (keytool -signer), then moved to a store of its own
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-ext", "san=" + san, "-signer", "ca", "-signerkeypass", PASSWORD,
                "-keystore", ca.toString());
        keytool("-importkeystore", "-noprompt", "-srckeystore", ca.toString(), "-srcstoretype", "PKCS12",
                "-srcstorepass", PASSWORD, "-srcalias", name, "-destkeystore", store.toString(),
                "-deststoretype", "PKCS12", "-deststorepass", PASSWORD);
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        if (!args[0].equals("-importkeystore")) { // it names its source and destination stores itself
            command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool did not finish within 60 s: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed (" + process.exitValue() + "): " + command + "\n" + output);
        }
    }
}
