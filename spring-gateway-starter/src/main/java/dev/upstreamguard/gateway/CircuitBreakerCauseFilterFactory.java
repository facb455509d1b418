package dev.upstreamguard.gateway;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.cloud.gateway.filter.factory.SpringCloudCircuitBreakerResilience4JFilterFactory;
import org.springframework.web.reactive.DispatcherHandler;
import reactor.core.publisher.Mono;

/**
 * The gateway's {@code CircuitBreaker} filter (resilience4j) that keeps the cause of a refused call: where the
 * gateway's own filter turns resilience4j's {@link CallNotPermittedException} into a bare 503
 * {@code ServiceUnavailableException} without a cause, this one lets it reach the starter's global filter,
 * which answers 503 {@code destination_unavailable} with {@code Proxy-Status}, problem details and a
 * {@code Retry-After} for the time the circuit stays open. Everything else — fallback URIs, status codes,
 * time limits, {@code resumeWithoutError} for other errors — is the gateway's.
 */
public class CircuitBreakerCauseFilterFactory extends SpringCloudCircuitBreakerResilience4JFilterFactory {

    /** The filter over {@code circuitBreakers}, forwarding to fallback URIs through {@code dispatcher}. */
    public CircuitBreakerCauseFilterFactory(ReactiveCircuitBreakerFactory<?, ?> circuitBreakers,
                                            ObjectProvider<DispatcherHandler> dispatcher) {
        super(circuitBreakers, dispatcher);
    }

    @Override
    protected Mono<Void> handleErrorWithoutFallback(Throwable error, boolean resumeWithoutError) {
        if (error instanceof CallNotPermittedException) {
            return Mono.error(error); // classified and answered by UpstreamGuardGlobalFilter
        }
        return super.handleErrorWithoutFallback(error, resumeWithoutError);
    }
}
