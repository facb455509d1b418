package dev.upstreamguard.spring;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;

/**
 * A hook for the application: every bean of this type may change the guard's builder (add a classifier, a
 * validation rule, a listener, another policy) before the starter builds the guard. Applied in
 * {@code @Order} order, after the starter's own settings.
 */
@FunctionalInterface
public interface UpstreamGuardCustomizer {

    /** Changes {@code builder}. */
    void customize(UpstreamGuard.Builder builder);
}
