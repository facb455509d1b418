package dev.upstreamguard.spring;

import dev.upstreamguard.core.policy.PolicyBinder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
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
        // a packaging's own key (e.g. the gateway's response-timeout): what its type accepts
        String accepted = info.map(PolicyBinder.PropertyInfo::accepted).orElseGet(() -> accepted(cause));
        if (accepted == null) {
            return null;
        }
        ConfigurationProperty property = cause.getProperty();
        return UpstreamGuardFailureAnalyzer.describe(name, property == null ? null : property.getValue(),
                property == null || property.getOrigin() == null ? null : property.getOrigin().toString(),
                accepted, info.map(PolicyBinder.PropertyInfo::defaultValue).orElse(null), cause);
    }

    /** What a duration or size property accepts (the packagings' own keys' types), else {@code null}. */
    private static String accepted(BindException cause) {
        Class<?> type = cause.getTarget() == null || cause.getTarget().getType() == null ? null
                : cause.getTarget().getType().resolve();
        if (type == Duration.class) {
            return "a duration such as 500ms, 30s, 2m or PT1M (a bare number is milliseconds)";
        }
        if (type == DataSize.class) {
            return "a size such as 128KB, 1MB or a number of bytes";
        }
        return null; // Spring Boot's own analysis says the rest well enough
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
