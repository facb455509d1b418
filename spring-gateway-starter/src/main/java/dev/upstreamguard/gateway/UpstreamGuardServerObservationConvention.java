package dev.upstreamguard.gateway;

import io.micrometer.common.KeyValues;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Spring's server request convention ({@code http.server.requests}) with one more low-cardinality key,
 * {@code error.type} (as in the OpenTelemetry HTTP semantic conventions): the RFC 9209 error type of a failure
 * the starter answered ({@code connection_refused}, {@code http_response_timeout}, …), {@code none} otherwise —
 * on every observation, so a meter registry sees one set of tag keys.
 */
public class UpstreamGuardServerObservationConvention extends DefaultServerRequestObservationConvention {
    /** The key, and the context entry the starter records the error type in. */
    public static final String ERROR_TYPE = GatewayObservations.ERROR_TYPE;

    @Override
    public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
        Object type = context.get(ERROR_TYPE);
        return super.getLowCardinalityKeyValues(context).and(ERROR_TYPE, type == null ? "none" : type.toString());
    }
}
