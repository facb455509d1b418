package dev.upstreamguard.gateway;

import io.micrometer.common.KeyValues;
import org.springframework.cloud.gateway.filter.headers.observation.DefaultGatewayObservationConvention;
import org.springframework.cloud.gateway.filter.headers.observation.GatewayContext;

/**
 * The gateway's client observation convention with one more low-cardinality key,
 * {@value #ERROR_KEY}: the RFC 9209 error type of a failed attempt the starter answered or retried
 * ({@code connection_refused}, {@code http_response_timeout}, …), {@code none} otherwise — on every
 * observation, so a meter registry sees one set of tag keys.
 */
public class UpstreamGuardObservationConvention extends DefaultGatewayObservationConvention {
    /** The key, and the context entry the starter records the error type in. */
    public static final String ERROR_KEY = "upstream.guard.error";

    @Override
    public KeyValues getLowCardinalityKeyValues(GatewayContext context) {
        Object type = context.get(ERROR_KEY);
        return super.getLowCardinalityKeyValues(context).and(ERROR_KEY, type == null ? "none" : type.toString());
    }
}
