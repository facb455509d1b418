package dev.upstreamguard.compatibility;

import jakarta.servlet.ServletContainerInitializer;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An embedded Tomcat ({@code tomcat-embed-core}; compiled against 10.1, the same calls run on 11): one HTTP/1.1
 * connector on 127.0.0.1, one context at the root, a fresh base directory removed on close.
 */
public final class EmbeddedTomcat implements EmbeddedContainer {

    @Override
    public Running start(ServletContainerInitializer application) throws Exception {
        Path baseDir = Files.createTempDirectory("upstream-guard-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        context.addServletContainerInitializer(application, null);
        tomcat.start();
        return new Running(connector.getLocalPort(), () -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } finally {
                delete(baseDir);
            }
        });
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + dir, e);
        }
    }
}
