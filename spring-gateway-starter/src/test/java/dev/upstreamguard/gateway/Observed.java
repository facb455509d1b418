package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.Scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a real client saw from a gateway for one scenario: the response, or the I/O failure that cut it
 * (a truncated body).
 *
 * @param status      the status, or 0 when the exchange failed
 * @param proxyStatus the {@code Proxy-Status} field, or {@code null}
 * @param contentType the {@code Content-Type}, or {@code null}
 * @param retryAfter  the {@code Retry-After}, or {@code null}
 * @param body        the body, or {@code null} when the exchange failed
 * @param failure     the client's exception when the response was cut, or {@code null}
 * @param headers     every response header (lower-case names), empty when the exchange failed
 */
record Observed(int status, String proxyStatus, String contentType, String retryAfter, byte[] body, IOException failure,
                java.util.Map<String, java.util.List<String>> headers) {

    /** How long a whole exchange may take before the client gives up on it. */
    static final Duration WHOLE_EXCHANGE = Duration.ofSeconds(8);

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Sends {@code GET path} to the gateway on {@code port}, asking for problem details. */
    static Observed get(int port, String path) throws InterruptedException {
        return get(port, path, "application/problem+json");
    }

    /** Sends {@code GET path} to the gateway on {@code port} with {@code Accept: accept}. */
    static Observed get(int port, String path, String accept) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", accept)
                .timeout(Duration.ofSeconds(15)).build();
        CompletableFuture<HttpResponse<byte[]>> sent = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            // the request timeout covers the head only: bound the body too, a stalled one would hang forever
            HttpResponse<byte[]> r = sent.get(WHOLE_EXCHANGE.toMillis(), TimeUnit.MILLISECONDS);
            return new Observed(r.statusCode(), r.headers().firstValue("proxy-status").orElse(null),
                    r.headers().firstValue("content-type").orElse(null),
                    r.headers().firstValue("retry-after").orElse(null), r.body(), null, r.headers().map());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new Observed(0, null, null, null, null,
                    cause instanceof IOException ? (IOException) cause : new IOException(cause), java.util.Map.of());
        } catch (TimeoutException e) {
            sent.cancel(true);
            return new Observed(0, null, null, null, null, new HungException(WHOLE_EXCHANGE), java.util.Map.of());
        }
    }

    /** Sends the request of {@code scenario}. */
    static Observed of(int port, Scenario scenario) throws InterruptedException {
        return get(port, GatewayTestApp.pathOf(scenario));
    }

    /** The first value of header {@code name}, or {@code null}. */
    String header(String name) {
        java.util.List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The exchange did not end within {@link #WHOLE_EXCHANGE}: the client gave up. */
    static final class HungException extends IOException {
        private static final long serialVersionUID = 1L;

        HungException(Duration after) {
            super("no complete response within " + after.toSeconds() + " s");
        }
    }

    boolean hung() {
        return failure instanceof HungException;
    }

    boolean truncated() {
        return failure != null;
    }

    String bodyText() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    /** The member without {@code details} and {@code next-hop} (shown to trusted clients only), for the tables. */
    static String withoutExposedParameters(String proxyStatus) {
        return proxyStatus.replaceAll(";details=\"[^\"]*\"", "").replaceAll(";next-hop=(\"[^\"]*\"|[^;,]*)", "");
    }

    /** One table cell: status and Proxy-Status, or the truncation. */
    String summary() {
        if (hung()) {
            return "hung: no complete response within " + WHOLE_EXCHANGE.toSeconds() + " s";
        }
        if (truncated()) {
            return "truncated (client: " + failure.getClass().getSimpleName() + ")";
        }
        return status + (proxyStatus == null ? "" : " `" + withoutExposedParameters(proxyStatus) + "`");
    }
}
