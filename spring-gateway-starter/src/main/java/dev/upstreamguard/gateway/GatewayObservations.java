package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorType;
import io.micrometer.observation.Observation;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;

import java.util.Map;

/**
 * The gateway's client observation ({@code http.client.requests}, one per upstream attempt, kept in the
 * exchange attribute {@link ServerWebExchangeUtils#GATEWAY_OBSERVATION_ATTR}). The gateway stops it when a
 * response head arrives, or in its {@code ObservationClosingWebExceptionHandler} for an error that reaches
 * Spring's error handling; a failure the starter answers or retries never gets there, so the starter stops
 * the observation itself, with the error and our RFC 9209 error type in the context (see
 * {@link UpstreamGuardObservationConvention}), and the client span ends.
 */
final class GatewayObservations {
    /** Set by the gateway once it stopped the current observation (the head arrived). */
    static final String STOPPED_ATTR = "gateway.observation.stopped";

    private GatewayObservations() {
    }

    /** The current attempt failed with {@code error} ({@code type} when classified): its observation stops. */
    static void failed(ServerWebExchange exchange, Throwable error, ErrorType type) {
        Map<String, Object> attributes = exchange.getAttributes();
        if (attributes.get(STOPPED_ATTR) != null) {
            return; // the head arrived: the gateway stopped it
        }
        Object current = attributes.remove(ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR);
        if (current != null) {
            Micrometer.stop(current, error, type);
        }
    }

    /** A new attempt begins: the previous attempt's observation is done, whoever stopped it. */
    static void nextAttempt(ServerWebExchange exchange) {
        Map<String, Object> attributes = exchange.getAttributes();
        if (attributes.remove(STOPPED_ATTR) != null) {
            attributes.remove(ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR);
        }
    }

    /** Touches Micrometer's classes only when the gateway put an observation in the exchange. */
    private static final class Micrometer {
        static void stop(Object current, Throwable error, ErrorType type) {
            if (current instanceof Observation observation) {
                if (type != null) {
                    observation.getContext().put(UpstreamGuardObservationConvention.ERROR_KEY, type.token());
                }
                observation.error(error);
                observation.stop();
            }
        }
    }
}
