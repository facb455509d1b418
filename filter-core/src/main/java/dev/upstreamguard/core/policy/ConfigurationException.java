package dev.upstreamguard.core.policy;

/**
 * A configuration value was rejected. The message always names the property, the value given and what
 * is accepted, so a failed start tells the operator exactly what to fix.
 */
public class ConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String property;
    private final String value;
    private final String accepted;

    /**
     * @param property the property name as the user wrote it (e.g. {@code upstream-guard.exposure})
     * @param value    the rejected value, or {@code null} when it was missing
     * @param accepted a description of the accepted values (e.g. "one of never, trusted, always")
     */
    public ConfigurationException(String property, String value, String accepted) {
        super("Invalid value " + (value == null ? "(none)" : "'" + value + "'") + " for '" + property
                + "': accepted " + accepted);
        this.property = property;
        this.value = value;
        this.accepted = accepted;
    }

    /** The property that was rejected. */
    public String property() {
        return property;
    }

    /** The rejected value, or {@code null}. */
    public String value() {
        return value;
    }

    /** What the property accepts. */
    public String accepted() {
        return accepted;
    }
}
