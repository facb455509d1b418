package dev.upstreamguard.benchmarks.macro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Throwaway nginx instances for the load run: a config under a prefix directory in {@code target/}, run in
 * the foreground ({@code daemon off}) with every path (pid, logs, temp files) under that prefix, on 127.0.0.1
 * only. Stopping the process (SIGTERM) stops its workers.
 */
public final class Nginx {
    /** The upstream's body: 64 bytes of text, the same for every target. */
    public static final String BODY = "upstream-guard load run: a small static body from nginx ......\n";

    private Nginx() {
    }

    /** The fast upstream: one worker answering every path with {@link #BODY} from memory. */
    public static String upstreamConfig(Path prefix, int port) {
        return common(prefix, 1) + """
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            default_type text/plain;
                            return 200 "%s";
                        }
                    }
                }
                """.formatted(port, BODY.replace("\n", "\\n"));
    }

    /**
     * The reference proxy: two workers (the machine's cores), HTTP/1.1 keep-alive to the upstreams, the three
     * routes of {@link ProxyRoutes}; nginx's defaults otherwise ({@code max_fails=1 fail_timeout=10s},
     * {@code proxy_next_upstream error timeout}).
     */
    public static String proxyConfig(Path prefix, int port, int livePort, int deadPort) {
        return common(prefix, 2) + """
                    upstream live { server 127.0.0.1:%d; keepalive 64; }
                    upstream dead { server 127.0.0.1:%d; keepalive 64; }
                    upstream half { server 127.0.0.1:%d; server 127.0.0.1:%d; keepalive 64; }
                    server {
                        listen 127.0.0.1:%d;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        location /ok/ { proxy_pass http://live; }
                        location /dead/ { proxy_pass http://dead; }
                        location /half/ { proxy_pass http://half; }
                    }
                }
                """.formatted(livePort, deadPort, livePort, deadPort, port);
    }

    private static String common(Path prefix, int workers) {
        Path p = prefix.toAbsolutePath();
        return """
                daemon off;
                worker_processes %d;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    keepalive_requests 1000000;
                    client_body_temp_path %s/tmp/client_body;
                    proxy_temp_path %s/tmp/proxy;
                    fastcgi_temp_path %s/tmp/fastcgi;
                    uwsgi_temp_path %s/tmp/uwsgi;
                    scgi_temp_path %s/tmp/scgi;
                """.formatted(workers, p, p, p, p, p, p, p);
    }

    /** Writes {@code config} under {@code prefix} and starts nginx in the foreground; output goes to {@code prefix/stdout.log}. */
    public static Process start(Path executable, Path prefix, String config) throws IOException {
        Files.createDirectories(prefix.resolve("tmp"));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config);
        Path p = prefix.toAbsolutePath();
        return new ProcessBuilder(List.of(executable.toString(), "-p", p.toString(), "-c", conf.toAbsolutePath().toString(),
                "-e", p.resolve("error.log").toString()))
                .redirectErrorStream(true).redirectOutput(p.resolve("stdout.log").toFile()).start();
    }
}
