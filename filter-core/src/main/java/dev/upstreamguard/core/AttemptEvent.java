package dev.upstreamguard.core;


/**
 * One attempt on an upstream ended: its response head arrived and was accepted, or it failed before that.
 *
 * @param routeId       the route's configured id
 * @param upstreamId    the attempt's upstream, or {@code null} when the packaging chose one without an id
 * @param attempt       the attempt's number (1-based)
 * @param failure       why it failed, or {@code null} when a response head was accepted
 * @param durationNanos from the start of the attempt to its head or its failure
 */
public record AttemptEvent(String routeId, String upstreamId, int attempt, UpstreamFailure failure, long durationNanos) {

    /** {@code response} when a head was accepted, else {@code failure}. */
    public String outcome() {
        return failure == null ? "response" : "failure";
    }

    /** The RFC 9209 error type token of the failure, or {@code none}. */
    public String errorToken() {
        return failure == null ? "none" : failure.type().token();
    }
}
