package dev.upstreamguard.testkit;

import java.time.Duration;
import java.util.List;

/**
 * What the upstream does with one request: write {@code pieces} in order (waiting
 * {@code pauseBeforeEachPiece} before each), then end the exchange as {@code ending} says.
 */
record ResponseScript(List<byte[]> pieces, Duration pauseBeforeEachPiece, Ending ending) {

    /** How an exchange ends once every piece has been written. */
    enum Ending {
        /** Wait for the next request on the same connection (unless the client asked to close). */
        KEEP_ALIVE,
        /** Half-close our side (FIN), then close once the client closes or a grace time passes. */
        FIN,
        /** Abortive close: SO_LINGER 0, so the kernel sends a TCP RST. */
        RST,
        /** Send nothing more; close only when the client closes or the upstream shuts down. */
        HOLD
    }

    ResponseScript {
        pieces = List.copyOf(pieces);
    }

    static ResponseScript of(Ending ending, byte[]... pieces) {
        return new ResponseScript(List.of(pieces), Duration.ZERO, ending);
    }
}
