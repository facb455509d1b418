package dev.upstreamguard.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.gateway.filter.factory.SpringCloudCircuitBreakerResilience4JFilterFactory;
import org.springframework.web.reactive.DispatcherHandler;

import java.time.Duration;

/**
 * The {@code Retry-After} of a call refused by an open resilience4j circuit ({@link OpenCircuits}) over the
 * circuit breakers of the application's {@link ReactiveResilience4JCircuitBreakerFactory}; and the post-processor
 * that puts {@link CircuitBreakerCauseFilterFactory} in place of the gateway's {@code CircuitBreaker} filter
 * factory (the gateway declares its own unconditionally, so it is replaced, not backed off from).
 */
public final class CircuitBreakerRetryAfter implements RetryAfterHint {

    private final OpenCircuits circuits;
    private final ObjectProvider<ReactiveResilience4JCircuitBreakerFactory> factory;

    /** Hints from {@code circuits}, looking breakers up in {@code factory}'s registry. */
    public CircuitBreakerRetryAfter(OpenCircuits circuits, ObjectProvider<ReactiveResilience4JCircuitBreakerFactory> factory) {
        this.circuits = circuits;
        this.factory = factory;
    }

    @Override
    public Duration retryAfter(Throwable error) {
        ReactiveResilience4JCircuitBreakerFactory breakers = factory.getIfAvailable();
        CircuitBreakerRegistry registry = breakers == null ? null : breakers.getCircuitBreakerRegistry();
        return circuits.retryAfter(error, registry);
    }

    /**
     * Tracks the registry of every {@link ReactiveResilience4JCircuitBreakerFactory} in its {@link OpenCircuits}, and
     * replaces the gateway's resilience4j {@code CircuitBreaker} filter factory by one that keeps the cause. It
     * holds the {@link OpenCircuits} itself, so that no ordinary bean is created early for it.
     */
    public static final class CauseKeepingPostProcessor implements BeanPostProcessor {
        private final OpenCircuits circuits = new OpenCircuits();
        private final ObjectProvider<ReactiveResilience4JCircuitBreakerFactory> factory;
        private final ObjectProvider<DispatcherHandler> dispatcher;

        /** Over the application's circuit breaker factory and dispatcher (for fallback URIs), both looked up late. */
        public CauseKeepingPostProcessor(ObjectProvider<ReactiveResilience4JCircuitBreakerFactory> factory,
                                         ObjectProvider<DispatcherHandler> dispatcher) {
            this.factory = factory;
            this.dispatcher = dispatcher;
        }

        /** When each tracked circuit opened. */
        public OpenCircuits circuits() {
            return circuits;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof ReactiveResilience4JCircuitBreakerFactory breakers) {
                circuits.track(breakers.getCircuitBreakerRegistry());
            } else if (bean.getClass() == SpringCloudCircuitBreakerResilience4JFilterFactory.class) {
                return new CircuitBreakerCauseFilterFactory(factory.getObject(), dispatcher);
            }
            return bean;
        }
    }
}
