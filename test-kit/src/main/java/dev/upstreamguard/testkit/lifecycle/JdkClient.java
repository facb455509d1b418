package dev.upstreamguard.testkit.lifecycle;

import java.net.http.HttpClient;
import java.time.Duration;

/** The HTTP/1.1 client of {@link LifecycleHarness#send}'s default. */
final class JdkClient {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private JdkClient() {
    }
}
