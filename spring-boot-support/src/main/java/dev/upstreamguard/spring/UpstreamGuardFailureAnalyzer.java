package dev.upstreamguard.spring;

import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.PolicyBinder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Prints a rejected {@code upstream-guard.*} value the Spring Boot way ("APPLICATION FAILED TO START",
 * Description, Action) instead of a stack trace: the property, the value, where it was set, what is accepted,
 * and the default. Registered in {@code META-INF/spring.factories}.
 */
public class UpstreamGuardFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationException> {

    private final Environment environment;

    /** An analyzer that looks up where a property was set in {@code environment} (may be null). */
    public UpstreamGuardFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationException cause) {
        String key = cause.property();
        PolicyBinder.PropertyInfo info = key.startsWith(UpstreamGuardPolicies.KEY_PREFIX)
                ? UpstreamGuardPolicies.info(key.substring(UpstreamGuardPolicies.KEY_PREFIX.length())).orElse(null)
                : null;
        return describe(key, cause.value(), origin(environment, key), cause.accepted(),
                info == null ? null : info.defaultValue(), cause);
    }

    /** The analysis every Upstream Guard configuration failure is printed with. */
    static FailureAnalysis describe(String key, Object value, String origin, String accepted, String defaultValue,
                                    Throwable cause) {
        StringBuilder description = new StringBuilder("Upstream Guard rejected a configuration value:\n\n")
                .append("    Property: ").append(key).append('\n')
                .append("    Value: ").append(value == null ? "(none)" : "\"" + value + "\"").append('\n');
        if (origin != null) {
            description.append("    Origin: ").append(origin).append('\n');
        }
        description.append("    Accepted: ").append(accepted).append('\n');
        String action = "Update your application's configuration: give '" + key + "' a value accepted above"
                + (defaultValue == null ? "." : ", or remove it for the default (" + defaultValue + ").");
        return new FailureAnalysis(description.toString(), action, cause);
    }

    /** Where {@code key} was set (file and line, environment variable…), when the environment knows it. */
    static String origin(Environment environment, String key) {
        if (environment == null || key == null) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null && property.getOrigin() != null) {
                return property.getOrigin().toString();
            }
        }
        return null;
    }
}
