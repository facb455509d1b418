package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.PolicyBinder.PropertyInfo;

import java.util.Map;

/** The module's own values parsed from their strings; a bad one fails naming the property, the value and what is accepted. */
final class ModuleValues {

    private ModuleValues() {
    }

    /** A whole number from 1 up, or the property's default when it is not set. */
    static int positiveInt(Map<String, String> values, String property, PropertyInfo info) {
        String value = values.get(property);
        if (value == null) {
            return Integer.parseInt(info.defaultValue());
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ex) {
            // answered below
        }
        throw new ConfigurationException(property, value, info.accepted());
    }

    /** An address list; a bad entry fails naming also what is wrong with it. */
    static CidrSet cidrs(Map<String, String> values, String property, PropertyInfo info, CidrSet fallback) {
        String value = values.get(property);
        if (value == null) {
            return fallback;
        }
        try {
            return CidrSet.parse(value);
        } catch (IllegalArgumentException ex) {
            throw new ConfigurationException(property, value, info.accepted() + " (" + ex.getMessage() + ")");
        }
    }
}
