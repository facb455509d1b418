package dev.upstreamguard.spring.boot.e2e;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A Spring MVC application with nothing but the starter: its controller calls an upstream and lets failures escape. */
@SpringBootApplication
public class GuardedMvcApp {

    @RestController
    static class OrdersController {
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final URI upstream;

        OrdersController(@Value("${test.upstream}") URI upstream) {
            this.upstream = upstream;
        }

        @GetMapping("/orders")
        String orders() throws IOException, InterruptedException {
            return client.send(HttpRequest.newBuilder(upstream).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
