package dev.upstreamguard.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The classified form of one upstream failure: what happened ({@link ErrorType}), where
 * ({@link Phase}), the RFC 9209 extra parameters that describe it, and a {@code details} text that
 * names the rule or condition in our own words.
 *
 * <p>{@code details} is written by this library, never copied from an exception message, and is still
 * shown to clients only when the exposure policy allows it. The {@code cause} is kept for the operator's
 * log and is never written to a response.
 *
 * @param type       the RFC 9209 error type
 * @param phase      where in the exchange it happened
 * @param parameters RFC 9209 extra parameters in order; values are {@link String}, {@link Long} or
 *                   {@link Integer}
 * @param details    our own description (e.g. "bare LF in header value"), or {@code null}
 * @param cause      the throwable it was classified from, or {@code null}
 */
public record UpstreamFailure(ErrorType type, Phase phase, Map<String, Object> parameters, String details,
                              Throwable cause) {

    /** Validates and freezes the parameters. */
    public UpstreamFailure {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(phase, "phase");
        parameters = parameters == null || parameters.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        for (Map.Entry<String, Object> e : parameters.entrySet()) {
            Object v = e.getValue();
            if (!(v instanceof String || v instanceof Long || v instanceof Integer)) {
                throw new IllegalArgumentException("parameter '" + e.getKey()
                        + "' must be a String, Long or Integer, was " + (v == null ? "null" : v.getClass().getName()));
            }
        }
    }

    /** A failure of {@code type} in {@code phase} with no parameters, details or cause. */
    public static UpstreamFailure of(ErrorType type, Phase phase) {
        return new UpstreamFailure(type, phase, Map.of(), null, null);
    }

    /** A copy with one more parameter (later values replace earlier ones of the same name). */
    public UpstreamFailure withParameter(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(parameters);
        copy.put(name, value);
        return new UpstreamFailure(type, phase, copy, details, cause);
    }

    /** A copy with {@code details} set. */
    public UpstreamFailure withDetails(String newDetails) {
        return new UpstreamFailure(type, phase, parameters, newDetails, cause);
    }

    /** A copy with {@code cause} set. */
    public UpstreamFailure withCause(Throwable newCause) {
        return new UpstreamFailure(type, phase, parameters, details, newCause);
    }

    /** A copy in another phase. */
    public UpstreamFailure inPhase(Phase newPhase) {
        return new UpstreamFailure(type, newPhase, parameters, details, cause);
    }

    @Override
    public String toString() {
        return "UpstreamFailure[" + type.token() + ", " + phase + (parameters.isEmpty() ? "" : ", " + parameters)
                + (details == null ? "" : ", details=" + details) + "]";
    }
}
