package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.StructuredFields;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One member of the {@code Proxy-Status} List (RFC 9209 §2): the name of the intermediary, an sf-token
 * or sf-string, followed by its parameters in the order they were set.
 *
 * <p>A small builder: each parameter method sets or replaces one parameter (a replaced parameter keeps
 * its first position, as RFC 8941 §4.2.3.2 parsing would) and returns this member. Not thread-safe;
 * build, {@link #serialize()}, then drop it.
 */
public final class ProxyStatusMember {

    private final String name;
    private final Map<String, Consumer<StringBuilder>> parameters = new LinkedHashMap<>();

    private ProxyStatusMember(String name) {
        this.name = name;
    }

    /**
     * A member named {@code name}: written as an sf-token when it is one (e.g. {@code upstream-guard}),
     * otherwise as an sf-string (e.g. {@code "Example Gateway"}) — RFC 9209 §2 allows both.
     *
     * @throws IllegalArgumentException when {@code name} is empty or has a character outside printable
     *                                  ASCII, which neither form can carry
     */
    public static ProxyStatusMember named(String name) {
        return new ProxyStatusMember(checkName(name));
    }

    /**
     * Checks a configured member name (see {@link #named(String)}) and returns it.
     *
     * @throws IllegalArgumentException when the name is empty or not printable ASCII
     */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "member name");
        if (name.isEmpty() || !StructuredFields.isStringRepresentable(name)) {
            throw new IllegalArgumentException("Proxy-Status member name must be non-empty printable ASCII"
                    + " (an RFC 8941 token such as upstream-guard, or any text for an sf-string): "
                    + StructuredFields.printable(name));
        }
        return name;
    }

    /** The member's name, as given. */
    public String name() {
        return name;
    }

    /** Sets {@code error} (RFC 9209 §2.1.1) to the type's token. */
    public ProxyStatusMember error(ErrorType type) {
        Objects.requireNonNull(type, "type");
        return put("error", out -> out.append(type.token()));
    }

    /**
     * Sets the sf-string parameter {@code key}; characters an sf-string cannot carry become {@code '?'}.
     *
     * @throws IllegalArgumentException when {@code key} is not an RFC 8941 key
     */
    public ProxyStatusMember param(String key, String value) {
        Objects.requireNonNull(value, "value");
        return put(key, out -> StructuredFields.appendString(out, value));
    }

    /**
     * Sets the sf-integer parameter {@code key}.
     *
     * @throws IllegalArgumentException when {@code key} is not an RFC 8941 key or {@code value} has more
     *                                  than 15 digits
     */
    public ProxyStatusMember param(String key, long value) {
        if (!StructuredFields.isIntegerInRange(value)) {
            throw new IllegalArgumentException("parameter '" + key + "' out of sf-integer range: " + value);
        }
        return put(key, out -> out.append(value));
    }

    /**
     * Sets the parameter {@code key} as an sf-token, or as an sf-string when {@code value} is not a valid
     * token (so the member always stays parseable).
     *
     * @throws IllegalArgumentException when {@code key} is not an RFC 8941 key
     */
    public ProxyStatusMember tokenParam(String key, String value) {
        Objects.requireNonNull(value, "value");
        return put(key, out -> StructuredFields.appendTokenOrString(out, value));
    }

    /**
     * Sets {@code received-status} (RFC 9209 §2.1.4), the status received from the next hop.
     *
     * @throws IllegalArgumentException when {@code status} is not a three-digit code, 100..999
     *                                  (RFC 9112 §4: {@code status-code = 3DIGIT})
     */
    public ProxyStatusMember receivedStatus(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("received-status must be a three-digit status code: " + status);
        }
        return param("received-status", status);
    }

    /** Sets {@code next-hop} (RFC 9209 §2.1.2): an sf-token when the value is one, else an sf-string. */
    public ProxyStatusMember nextHop(String hop) {
        return tokenParam("next-hop", hop);
    }

    /** Sets {@code details} (RFC 9209 §2.1.5), an sf-string. */
    public ProxyStatusMember details(String details) {
        return param("details", details);
    }

    /** Whether a parameter named {@code key} is set. */
    public boolean has(String key) {
        return parameters.containsKey(key);
    }

    /** This member as it stands in the field value: name, then {@code ;key=value} per parameter. */
    public String serialize() {
        StringBuilder out = new StringBuilder(32 + parameters.size() * 24);
        StructuredFields.appendTokenOrString(out, name);
        for (Map.Entry<String, Consumer<StringBuilder>> p : parameters.entrySet()) {
            out.append(';').append(p.getKey()).append('=');
            p.getValue().accept(out);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return serialize();
    }

    private ProxyStatusMember put(String key, Consumer<StringBuilder> writer) {
        parameters.put(StructuredFields.requireKey(key), writer);
        return this;
    }
}
