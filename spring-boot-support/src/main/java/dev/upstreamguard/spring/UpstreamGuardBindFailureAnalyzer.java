package dev.upstreamguard.spring;

import dev.upstreamguard.core.policy.PolicyBinder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

import java.util.Optional;

/**
 * An {@code upstream-guard.*} value Spring could not convert to its type (a duration, a size, an enum, a
 * number): printed like {@link UpstreamGuardFailureAnalyzer} does, with what the core accepts for that key.
 * Consulted before Spring Boot's own bind analyzer, which prints any other property.
 */
public class UpstreamGuardBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        String name = cause.getName().toString();
        if (!name.startsWith(UpstreamGuardPolicies.KEY_PREFIX)) {
            return null;
        }
        Optional<PolicyBinder.PropertyInfo> info = UpstreamGuardPolicies.info(
                name.substring(UpstreamGuardPolicies.KEY_PREFIX.length()));
        if (info.isEmpty()) {
            return null;
        }
        ConfigurationProperty property = cause.getProperty();
        return UpstreamGuardFailureAnalyzer.describe(name, property == null ? null : property.getValue(),
                property == null || property.getOrigin() == null ? null : property.getOrigin().toString(),
                info.get().accepted(), info.get().defaultValue(), cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
