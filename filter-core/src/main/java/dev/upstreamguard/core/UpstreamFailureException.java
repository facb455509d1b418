package dev.upstreamguard.core;

import java.util.Objects;

/**
 * Thrown by this library's own client adapters (e.g. a head validator on the JDK {@code HttpClient})
 * to carry a verdict that is already known. Classifiers return its {@link #failure()} unchanged.
 *
 * <p>The message names the error type and our own details only: never a host, an address or another
 * exception's message.
 */
public class UpstreamFailureException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    private final transient UpstreamFailure failure;

    /** Wraps a classified failure; its cause, if any, becomes this exception's cause. */
    public UpstreamFailureException(UpstreamFailure failure) {
        super(message(Objects.requireNonNull(failure, "failure")), failure.cause());
        this.failure = failure;
    }

    /** The verdict this exception carries. */
    public UpstreamFailure failure() {
        return failure;
    }

    private static String message(UpstreamFailure failure) {
        return failure.details() == null ? failure.type().token() : failure.type().token() + ": " + failure.details();
    }
}
