package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.CircuitEvent;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RetryEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one SLF4J line per failure that an operator recognises, e.g.
 * <pre>
 * upstream prematurely closed connection while reading response header from upstream: error=connection_terminated
 *   status=502 route=orders upstream=orders-1 attempt=1/3 elapsed_ms=12 request_id=7f3a… cause=java.io.EOFException: …
 * </pre>
 * (one line). Proxy-made failures log at WARN ({@code proxy_internal_error} at ERROR); aborted responses say
 * so; passed-through upstream 5xx log at INFO. The cause's stack trace is added at DEBUG. Logs are the
 * operator's side: unlike responses, they carry the cause's class and message.
 */
public final class FailureLog implements GuardListener {
    /** The logger name operators configure: {@value}. */
    public static final String LOGGER_NAME = "dev.upstreamguard.failures";

    private final Logger log;

    /** Logs to {@value #LOGGER_NAME}. */
    public FailureLog() {
        this(LoggerFactory.getLogger(LOGGER_NAME));
    }

    /** Logs to {@code logger}. */
    public FailureLog(Logger logger) {
        this.log = logger;
    }

    @Override
    public void onFailure(FailureEvent e) {
        if (e.origin() == Origin.UPSTREAM) {
            if (log.isInfoEnabled()) {
                log.info(line(e, "upstream answered " + e.status() + ", passed through"));
            }
            return;
        }
        if (e.failure().phase() == Phase.ADMISSION) {
            // refusals by our own limits are counted by onAdmissionRejected; a WARN each would flood the log under abuse
            if (log.isDebugEnabled()) {
                log.debug(line(e, phrase(e.failure().type(), e.failure().phase())));
            }
            return;
        }
        Throwable cause = e.failure().cause();
        boolean internal = e.failure().type() == ErrorType.PROXY_INTERNAL_ERROR;
        if (internal ? !log.isErrorEnabled() : !log.isWarnEnabled()) {
            return;
        }
        String message = line(e, phrase(e.failure().type(), e.failure().phase())
                + (e.aborted() ? ", client response aborted after commit" : ""));
        if (internal) {
            // an unknown throwable is our bug or an unrecognised library: keep its stack trace
            log.error(message, cause);
        } else if (cause != null && log.isDebugEnabled()) {
            log.warn(message, cause);
        } else {
            log.warn(message);
        }
    }

    @Override
    public void onOriginHeaderViolation(OriginHeaderEvent e) {
        if (!log.isWarnEnabled()) {
            return;
        }
        String what = e.kind() == OriginHeaderEvent.Kind.SECTION_OVER_BUDGET
                ? "response header section of " + e.size() + " bytes is over the front proxy budget of " + e.budget()
                + " bytes (a proxy in front would answer \"upstream sent too big header\" 502)"
                : "response header " + (e.fieldName() == null ? "" : "'" + e.fieldName() + "' ")
                + "has characters a proxy in front would reject";
        log.warn("this application's " + what + ": action=" + e.action().name().toLowerCase(java.util.Locale.ROOT)
                + " route=" + e.routeId());
    }

    @Override
    public void onRetry(RetryEvent e) {
        if (e.outcome() == RetryEvent.Outcome.SCHEDULED) {
            if (log.isInfoEnabled()) {
                log.info("retrying " + cause(e) + ": attempt=" + (e.attempt() + 1) + "/" + e.maxAttempts()
                        + " after_ms=" + e.delayMillis() + " route=" + e.routeId() + upstream(e.upstreamId()));
            }
        } else if (e.outcome() == RetryEvent.Outcome.SUCCEEDED_AFTER_RETRY) {
            if (log.isInfoEnabled()) {
                log.info("succeeded after retry: attempt=" + e.attempt() + "/" + e.maxAttempts() + " status="
                        + e.receivedStatus() + " route=" + e.routeId() + upstream(e.upstreamId()));
            }
        } else if (e.outcome() == RetryEvent.Outcome.DENIED_BY_BUDGET) {
            if (log.isWarnEnabled()) {
                log.warn("retry budget exhausted, not retrying " + cause(e) + ": attempt=" + e.attempt() + "/"
                        + e.maxAttempts() + " route=" + e.routeId() + upstream(e.upstreamId()));
            }
        } else if (log.isDebugEnabled()) {
            log.debug("not retrying " + cause(e) + ": reason=" + e.reason() + " attempt=" + e.attempt() + "/"
                    + e.maxAttempts() + " route=" + e.routeId() + upstream(e.upstreamId()));
        }
    }

    @Override
    public void onHealthChange(HealthEvent e) {
        if (!log.isWarnEnabled()) {
            return;
        }
        if (e.kind() == HealthEvent.Kind.EJECTED) {
            log.warn("upstream ejected after " + e.consecutiveFailures() + " consecutive failures: route=" + e.routeId()
                    + " upstream=" + e.upstreamId() + " ejected_for_ms=" + e.ejectionMillis() + " ejections=" + e.ejectionCount());
        } else {
            log.warn("upstream back in rotation: route=" + e.routeId() + " upstream=" + e.upstreamId());
        }
    }

    @Override
    public void onCircuitChange(CircuitEvent e) {
        if (e.kind() == CircuitEvent.Kind.OPENED) {
            if (log.isWarnEnabled()) {
                log.warn("circuit opened after " + e.consecutiveFailures() + " failed requests in a row, answering 503"
                        + " without trying an upstream: route=" + e.routeId() + " open_for_ms=" + e.openMillis());
            }
        } else if (log.isInfoEnabled()) {
            log.info(e.kind() == CircuitEvent.Kind.HALF_OPEN
                    ? "circuit half-open, letting probe requests through: route=" + e.routeId()
                    : "circuit closed, a probe request succeeded: route=" + e.routeId());
        }
    }

    @Override
    public void onAdmissionRejected(AdmissionEvent e) {
        if (log.isDebugEnabled()) {
            log.debug("request refused before any upstream: kind=" + e.kind().tag() + " status=" + e.status()
                    + " retry_after_s=" + e.retryAfterSeconds() + " route=" + e.routeId());
        }
    }

    @Override
    public void onBackendFailure(BackendFailureEvent e) {
        // one line per decision at DEBUG: the fail-safe backend itself WARNs at most once per interval, with counts
        if (log.isDebugEnabled()) {
            log.debug("limit backend '" + e.backend() + "' failed during " + e.operation() + ", answering "
                    + e.mode().name().toLowerCase(java.util.Locale.ROOT) + ": cause="
                    + (e.cause() == null ? "none" : describe(e.cause())));
        }
    }

    private static String cause(RetryEvent e) {
        return e.failure() != null ? e.failure().type().token() : "status " + e.receivedStatus();
    }

    private static String upstream(String upstreamId) {
        return upstreamId == null ? "" : " upstream=" + upstreamId;
    }

    /** The nginx-like phrase, e.g. "upstream timed out while reading response header from upstream". */
    public static String phrase(ErrorType type, Phase phase) {
        return ErrorTexts.logPhrase(type) + " " + phase.logPhrase();
    }

    private static String line(FailureEvent e, String phrase) {
        StringBuilder sb = new StringBuilder(200).append(phrase)
                .append(": error=").append(e.errorToken())
                .append(" status=").append(e.status())
                .append(" origin=").append(e.origin().tag());
        if (e.failure() != null) {
            sb.append(" phase=").append(e.failure().phase().name().toLowerCase(java.util.Locale.ROOT));
            if (e.failure().details() != null) {
                sb.append(" details=\"").append(e.failure().details()).append('"');
            }
        }
        sb.append(" route=").append(e.routeId());
        if (e.upstreamId() != null) {
            sb.append(" upstream=").append(e.upstreamId());
        }
        sb.append(" attempt=").append(e.attempt()).append('/').append(e.maxAttempts())
                .append(" elapsed_ms=").append(e.elapsedMillis());
        if (e.notRetried() != null) {
            sb.append(" not_retried=").append(e.notRetried());
        }
        if (e.requestId() != null) {
            sb.append(" request_id=").append(e.requestId());
        }
        Throwable cause = e.failure() == null ? null : e.failure().cause();
        if (cause != null) {
            Throwable root = rootCause(cause);
            sb.append(" cause=").append(describe(cause));
            if (root != cause) {
                sb.append(" root_cause=").append(describe(root));
            }
        }
        return sb.toString();
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getName() : t.getClass().getName() + ": " + message.replace('\n', ' ').replace('\r', ' ');
    }

    private static Throwable rootCause(Throwable t) {
        Throwable current = t;
        for (int depth = 0; depth < 32 && current.getCause() != null && current.getCause() != current; depth++) {
            current = current.getCause();
        }
        return current;
    }
}
