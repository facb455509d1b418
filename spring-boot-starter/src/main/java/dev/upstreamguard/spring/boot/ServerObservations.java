package dev.upstreamguard.spring.boot;

import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.RetryEvent;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;

import java.util.Objects;

/**
 * The guard's verdicts on the server observation of the request ({@code http.server.requests}, opened by
 * Spring's {@code ServerHttpObservationFilter} around the filter): a failure the guard answers sets the
 * low-cardinality key {@value #ERROR_TYPE} to its RFC 9209 token (the OpenTelemetry HTTP semantic conventions'
 * {@code error.type}) and the observation's error; retries, ejections and admission refusals become events on
 * it. The observation is the one current on the thread the guard reports on, or its nearest server parent.
 */
public final class ServerObservations implements GuardListener {
    /** The key, and the context entry the error type is kept in until the observation stops. */
    public static final String ERROR_TYPE = "error.type";

    private final ObservationRegistry registry;

    /** Reports to the observations current in {@code registry}. */
    public ServerObservations(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onFailure(FailureEvent e) {
        Observation server = current();
        if (server == null || e.origin() != Origin.PROXY) {
            return;
        }
        server.getContext().put(ERROR_TYPE, e.errorToken());
        Throwable cause = e.failure().cause();
        server.error(cause != null ? cause : new UpstreamFailureException(e.failure()));
    }

    @Override
    public void onRetry(RetryEvent e) {
        event("upstream.guard.retry." + e.outcome().tag(), e.reason());
    }

    @Override
    public void onHealthChange(HealthEvent e) {
        event("upstream.guard.upstream." + e.kind().tag(), e.upstreamId());
    }

    @Override
    public void onAdmissionRejected(AdmissionEvent e) {
        event("upstream.guard.admission.rejected", e.kind().tag());
    }

    private void event(String name, String detail) {
        Observation server = current();
        if (server != null) {
            server.event(Observation.Event.of(name, name + " " + detail));
        }
    }

    /** The current observation if it is a server request's, else its nearest server ancestor; {@code null} when none. */
    private Observation current() {
        ObservationView observation = registry.getCurrentObservation();
        for (int depth = 0; observation != null && depth < 16; depth++) {
            if (observation.getContextView() instanceof ServerRequestObservationContext
                    && observation instanceof Observation server) {
                return server;
            }
            observation = observation.getContextView().getParentObservation();
        }
        return null;
    }

    /**
     * Spring's server request convention with {@value #ERROR_TYPE}: the guard's RFC 9209 token for a request it
     * answered with a failure, {@code none} otherwise — on every observation, so a meter registry sees one set of
     * tag keys.
     */
    public static class ErrorTypeConvention extends DefaultServerRequestObservationConvention {
        @Override
        public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
            Object type = context.get(ERROR_TYPE);
            return super.getLowCardinalityKeyValues(context).and(ERROR_TYPE, type == null ? "none" : type.toString());
        }
    }
}
