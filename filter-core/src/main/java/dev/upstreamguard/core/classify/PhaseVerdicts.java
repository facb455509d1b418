package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;

/**
 * Verdicts for exceptions whose type names a family of conditions and whose meaning depends on how far
 * the exchange had got (RFC 9209 §2.3.8 vs §2.3.18, §2.3.9 vs §2.3.10 vs §2.3.26).
 */
final class PhaseVerdicts {

    static final String CLOSED_BEFORE_RESPONSE = "connection closed or reset by upstream before any response byte";
    static final String CLOSED_WHILE_SENDING = "connection closed or reset by upstream while the request was sent";
    static final String CLOSED_MID_RESPONSE = "connection closed or reset by upstream before the response was complete";
    static final String CONNECT_TIMED_OUT = "TCP connection to upstream not established in time";
    static final String TLS_HANDSHAKE_TIMED_OUT = "TLS handshake with upstream not completed in time";
    static final String RESOLVE_TIMED_OUT = "upstream host name not resolved in time";
    static final String NO_HEAD_IN_TIME = "no complete response head from upstream within the timeout";
    static final String READ_IDLE = "upstream sent no data within the read timeout";
    static final String WRITE_TIMED_OUT = "request could not be written to upstream within the timeout";
    static final String LIMIT_REACHED = "no upstream connection available within the client's limits";

    private PhaseVerdicts() {
    }

    /** The connection was closed or reset: {@code connection_terminated} before any response byte, else incomplete. */
    static Recognition closed(Phase observed, Specificity specificity) {
        if (observed.responseStarted()) {
            return Recognition.of(specificity, ErrorType.HTTP_RESPONSE_INCOMPLETE, observed, CLOSED_MID_RESPONSE);
        }
        return Recognition.of(specificity, ErrorType.CONNECTION_TERMINATED, observed,
                observed == Phase.SEND_REQUEST ? CLOSED_WHILE_SENDING : CLOSED_BEFORE_RESPONSE);
    }

    /**
     * A closed or reset connection where the library's own type says nothing happened yet only when the
     * phase does not tell otherwise; an unknown phase counts as "part of the response had arrived".
     */
    static Recognition closedDefaultIncomplete(Phase observed, Specificity specificity) {
        if (observed == Phase.UNKNOWN) {
            return Recognition.of(specificity, ErrorType.HTTP_RESPONSE_INCOMPLETE, observed, CLOSED_MID_RESPONSE);
        }
        return closed(observed, specificity);
    }

    /**
     * A timer covering the whole response (or the exchange) expired: before the head arrived it is
     * {@code http_response_timeout}; once the body was flowing it is {@code connection_read_timeout}.
     */
    static Recognition responseTimeout(Phase observed, Specificity specificity) {
        Recognition early = beforeExchange(observed, specificity);
        if (early != null) {
            return early;
        }
        if (observed == Phase.READ_BODY) {
            return Recognition.of(specificity, ErrorType.CONNECTION_READ_TIMEOUT, observed, READ_IDLE);
        }
        return Recognition.of(specificity, ErrorType.HTTP_RESPONSE_TIMEOUT, observed, NO_HEAD_IN_TIME);
    }

    /**
     * A read-idle timer expired: while waiting for the head it is {@code http_response_timeout}; once
     * bytes had arrived, or when the phase is unknown, it is {@code connection_read_timeout}.
     */
    static Recognition readTimeout(Phase observed, Specificity specificity) {
        Recognition early = beforeExchange(observed, specificity);
        if (early != null) {
            return early;
        }
        if (observed == Phase.SEND_REQUEST || observed == Phase.AWAIT_RESPONSE) {
            return Recognition.of(specificity, ErrorType.HTTP_RESPONSE_TIMEOUT, observed, NO_HEAD_IN_TIME);
        }
        return Recognition.of(specificity, ErrorType.CONNECTION_READ_TIMEOUT, observed, READ_IDLE);
    }

    /** A connect-phase timeout; the phase says CONNECT unless the integration saw the TLS handshake. */
    static Recognition connectTimeout(Phase observed, Specificity specificity) {
        if (observed == Phase.TLS_HANDSHAKE) {
            return Recognition.of(specificity, ErrorType.CONNECTION_TIMEOUT, Phase.TLS_HANDSHAKE, TLS_HANDSHAKE_TIMED_OUT);
        }
        return Recognition.of(specificity, ErrorType.CONNECTION_TIMEOUT, Phase.CONNECT, CONNECT_TIMED_OUT);
    }

    /** Writing the request timed out. */
    static Recognition writeTimeout(Phase observed, Specificity specificity) {
        return Recognition.of(specificity, ErrorType.CONNECTION_WRITE_TIMEOUT,
                observed == Phase.UNKNOWN ? Phase.SEND_REQUEST : observed, WRITE_TIMED_OUT);
    }

    /** The client's connection pool or request queue was full (RFC 9209 §2.3.12), before anything was sent. */
    static Recognition limitReached(Phase observed, Specificity specificity) {
        return Recognition.of(specificity, ErrorType.CONNECTION_LIMIT_REACHED,
                observed == Phase.UNKNOWN ? Phase.CONNECT : observed, LIMIT_REACHED);
    }

    /**
     * An I/O failure whose type says nothing more than "I/O failed": judged by the phase alone, and only
     * once the request was being sent (before that an unknown I/O error may be our own).
     */
    static Recognition ioFailure(Phase observed) {
        switch (observed) {
            case SEND_REQUEST:
            case AWAIT_RESPONSE:
            case READ_HEAD:
            case READ_BODY:
                return closed(observed, Specificity.FALLBACK);
            default:
                return null;
        }
    }

    private static Recognition beforeExchange(Phase observed, Specificity specificity) {
        switch (observed) {
            case RESOLVE:
                return Recognition.of(specificity, ErrorType.DNS_TIMEOUT, observed, RESOLVE_TIMED_OUT);
            case CONNECT:
            case TLS_HANDSHAKE:
                return connectTimeout(observed, specificity);
            default:
                return null;
        }
    }
}
