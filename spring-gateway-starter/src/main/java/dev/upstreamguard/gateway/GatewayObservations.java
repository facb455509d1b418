package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.HealthEvent;
import io.micrometer.observation.Observation;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The gateway's client observation ({@code http.client.requests}, one per upstream attempt, kept in the
 * exchange attribute {@link ServerWebExchangeUtils#GATEWAY_OBSERVATION_ATTR}). The gateway stops it when a
 * response head arrives, or in its {@code ObservationClosingWebExceptionHandler} for an error that reaches
 * Spring's error handling; a failure the starter answers or retries never gets there, so the starter stops
 * the observation itself, with the error and our RFC 9209 error type in the context (see
 * {@link UpstreamGuardObservationConvention}), and the client span ends.
 *
 * <p>The server observation of the request ({@code http.server.requests}, kept from the Reactor context in the
 * exchange attribute {@value #SERVER_ATTR}) gets the error the starter answers, with its RFC 9209 token under
 * {@value #ERROR_TYPE} (see {@link UpstreamGuardServerObservationConvention}), and an event per retry, per
 * ejection and per admission refusal of the request.
 */
final class GatewayObservations {
    /** Set by the gateway once it stopped the current observation (the head arrived). */
    static final String STOPPED_ATTR = "gateway.observation.stopped";
    /** The exchange attribute holding the request's server observation. */
    static final String SERVER_ATTR = "upstream.guard.server.observation";
    /** The server observation's key (and context entry) for the RFC 9209 token: OpenTelemetry's {@code error.type}. */
    static final String ERROR_TYPE = "error.type";
    /** The Reactor context key of the current observation (Micrometer's {@code ObservationThreadLocalAccessor.KEY}). */
    private static final String OBSERVATION_CONTEXT_KEY = "micrometer.observation";
    /** The exchange whose guard calls run on this thread, for the events the core reports synchronously. */
    private static final ThreadLocal<ServerWebExchange> CURRENT = new ThreadLocal<>();

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

    /** Keeps the request's server observation, found in the Reactor context, in the exchange. */
    static <T> Mono<T> withServerObservation(ServerWebExchange exchange, Mono<T> routed) {
        return Mono.deferContextual(context -> {
            context.<Object>getOrEmpty(OBSERVATION_CONTEXT_KEY).ifPresent(o -> exchange.getAttributes().put(SERVER_ATTR, o));
            return routed;
        });
    }

    /** The request failed with {@code error}, answered by the starter: its server observation says so. */
    static void serverFailed(ServerWebExchange exchange, Throwable error, ErrorType type) {
        Object server = exchange.getAttributes().get(SERVER_ATTR);
        if (server != null) {
            Micrometer.serverFailed(server, error, type);
        }
    }

    /** An event on the request's server observation, e.g. {@code upstream.guard.retry.scheduled}. */
    static void serverEvent(ServerWebExchange exchange, String name, String detail) {
        Object server = exchange == null ? null : exchange.getAttributes().get(SERVER_ATTR);
        if (server != null) {
            Micrometer.event(server, name, detail);
        }
    }

    /** Runs a guard call of {@code exchange}'s, so that the events it reports land on its server observation. */
    static <T> T during(ServerWebExchange exchange, Supplier<T> call) {
        ServerWebExchange outer = CURRENT.get();
        CURRENT.set(exchange);
        try {
            return call.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The exchange bound to this thread by {@link #during}, or {@code null}. */
    static ServerWebExchange current() {
        return CURRENT.get();
    }

    /** The guard's ejections and admission refusals during {@link #during} calls, as server observation events. */
    static final class Events implements GuardListener {
        @Override
        public void onHealthChange(HealthEvent e) {
            serverEvent(CURRENT.get(), "upstream.guard.upstream." + e.kind().tag(), e.upstreamId());
        }

        @Override
        public void onAdmissionRejected(AdmissionEvent e) {
            serverEvent(CURRENT.get(), "upstream.guard.admission.rejected", e.kind().tag());
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

        static void serverFailed(Object server, Throwable error, ErrorType type) {
            if (server instanceof Observation observation) {
                if (type != null) {
                    observation.getContext().put(ERROR_TYPE, type.token());
                }
                observation.error(error);
            }
        }

        static void event(Object server, String name, String detail) {
            if (server instanceof Observation observation) {
                observation.event(Observation.Event.of(name, name + " " + detail));
            }
        }
    }
}
