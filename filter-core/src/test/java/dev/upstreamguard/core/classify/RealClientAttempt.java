package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.Phase;

/**
 * What one real request did: the throwable the client raised (or {@code null}), how far the exchange
 * had got as far as the client's own callbacks tell (what an integration would pass as "observed"),
 * and the status when it succeeded.
 */
record RealClientAttempt(Throwable failure, Phase observed, int status) {

    static RealClientAttempt succeeded(int status) {
        return new RealClientAttempt(null, Phase.UNKNOWN, status);
    }

    static RealClientAttempt failed(Throwable failure, Phase observed) {
        return new RealClientAttempt(failure, observed, 0);
    }

    /** The cause chain as class names and messages, for the report. */
    String describeFailure() {
        if (failure == null) {
            return "no exception: status " + status;
        }
        StringBuilder chain = new StringBuilder();
        Throwable[] links = CauseChain.of(failure, 6);
        for (Throwable t : links) {
            if (chain.length() > 0) {
                chain.append(" <- ");
            }
            chain.append(t.getClass().getName());
            String message = t.getMessage();
            if (message != null) {
                chain.append("(\"").append(message.length() > 70 ? message.substring(0, 70) + "…" : message)
                        .append("\")");
            }
        }
        return chain.toString().replaceAll("\\p{Cntrl}", "?").replace('|', '/');
    }
}
