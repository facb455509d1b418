package dev.upstreamguard.gateway;

import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;

import java.time.Duration;

/**
 * The response timeout of a route: the route filter's, else the route's {@code response-timeout} metadata, else
 * the gateway's, else {@code upstream-guard.response-timeout}. It bounds each attempt's wait for a head and,
 * unless {@code retry.deadline} is set, the whole request.
 */
final class RouteResponseTimeouts {
    private final Duration defaultResponseTimeout;
    private final HttpClientProperties gatewayClient;

    RouteResponseTimeouts(Duration defaultResponseTimeout, HttpClientProperties gatewayClient) {
        this.defaultResponseTimeout = positive(defaultResponseTimeout);
        this.gatewayClient = gatewayClient;
    }

    Duration of(GuardedAttempt attempt, Route route) {
        if (attempt.routeResponseTimeout() != null) {
            return positive(attempt.routeResponseTimeout());
        }
        Object metadata = route == null ? null : route.getMetadata().get(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR);
        if (metadata instanceof Number millis) {
            return millis.longValue() < 0 ? null : Duration.ofMillis(millis.longValue());
        }
        if (metadata != null) {
            try {
                long millis = Long.parseLong(metadata.toString().trim());
                return millis < 0 ? null : Duration.ofMillis(millis);
            } catch (NumberFormatException notMillis) {
                // the gateway rejects such a route itself
            }
        }
        if (gatewayClient != null && gatewayClient.getResponseTimeout() != null) {
            return positive(gatewayClient.getResponseTimeout());
        }
        return defaultResponseTimeout;
    }

    private static Duration positive(Duration d) {
        return d == null || d.isZero() || d.isNegative() ? null : d;
    }
}
