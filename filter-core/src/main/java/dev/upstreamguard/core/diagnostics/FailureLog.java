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
import dev.upstreamguard.core.PanicEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.retry.RetryDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Writes one SLF4J line per failure that an operator recognises, e.g.
 * <pre>
 * upstream prematurely closed connection while reading response header from upstream: error=connection_terminated
 *   status=502 route=orders upstream=orders-1 attempt=1/3 elapsed_ms=12 request_id=7f3a… cause=java.io.EOFException: …
 * </pre>
 * (one line). Proxy-made failures log at WARN ({@code proxy_internal_error} at ERROR); aborted responses say
 * so; passed-through upstream 5xx log at INFO. The cause's stack trace is added at DEBUG. Logs are the
 * operator's side: unlike responses, they carry the cause's class and message.
 *
 * <p>Each failure line also carries SLF4J 2 key-values, for structured (JSON) appenders: {@value #ERROR_TYPE},
 * {@value #ROUTE}, {@value #UPSTREAM} (when one was chosen), {@value #ATTEMPT}, {@value #PHASE} (when the
 * proxy made the error), {@value #REQUEST_ID} (the one in the problem body) and {@value #NOT_RETRIED} (when
 * known). The message stays as above for plain-text appenders.
 */
public final class FailureLog implements GuardListener {
    /** The logger name operators configure: {@value}. */
    public static final String LOGGER_NAME = "dev.upstreamguard.failures";
    /** Key of the RFC 9209 error token ({@code none} for a passed-through upstream 5xx). */
    public static final String ERROR_TYPE = "error_type";
    /** Key of the route id. */
    public static final String ROUTE = "route";
    /** Key of the upstream id. */
    public static final String UPSTREAM = "upstream";
    /** Key of the 1-based attempt number. */
    public static final String ATTEMPT = "attempt";
    /** Key of the phase the failure happened in, lower case. */
    public static final String PHASE = "phase";
    /** Key of the request id. */
    public static final String REQUEST_ID = "request_id";
    /** Key of why no further attempt was made. */
    public static final String NOT_RETRIED = "not_retried";

    /** At most one "retry budget exhausted" WARN per route in this interval; the rest are counted. */
    static final long BUDGET_WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final LongSupplier nanoClock;
    /** Per route: when the next "retry budget exhausted" WARN may be written, and the denials since the last. */
    private final Map<String, Throttle> budgetWarnings = new ConcurrentHashMap<>();

    /** Logs to {@value #LOGGER_NAME}. */
    public FailureLog() {
        this(LoggerFactory.getLogger(LOGGER_NAME));
    }

    /** Logs to {@code logger}. */
    public FailureLog(Logger logger) {
        this(logger, System::nanoTime);
    }

    FailureLog(Logger logger, LongSupplier nanoClock) {
        this.log = logger;
        this.nanoClock = nanoClock;
    }

    @Override
    public void onFailure(FailureEvent e) {
        if (e.origin() == Origin.UPSTREAM) {
            if (log.isInfoEnabled()) {
                withKeyValues(log.atInfo(), e).log(line(e, "upstream answered " + e.status() + ", passed through"));
            }
            return;
        }
        if (e.failure().phase() == Phase.ADMISSION) {
            // refusals by our own limits are counted by onAdmissionRejected; a WARN each would flood the log under abuse
            if (log.isDebugEnabled()) {
                withKeyValues(log.atDebug(), e).log(line(e, phrase(e.failure().type(), e.failure().phase())));
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
            withKeyValues(log.atError(), e).setCause(cause).log(message);
        } else if (cause != null && log.isDebugEnabled()) {
            withKeyValues(log.atWarn(), e).setCause(cause).log(message);
        } else {
            withKeyValues(log.atWarn(), e).log(message);
        }
    }

    /** The event's key-values on {@code builder} (see the class comment). */
    private static LoggingEventBuilder withKeyValues(LoggingEventBuilder builder, FailureEvent e) {
        builder.addKeyValue(ERROR_TYPE, e.errorToken()).addKeyValue(ROUTE, e.routeId());
        if (e.upstreamId() != null) {
            builder.addKeyValue(UPSTREAM, e.upstreamId());
        }
        builder.addKeyValue(ATTEMPT, e.attempt());
        if (e.failure() != null) {
            builder.addKeyValue(PHASE, e.failure().phase().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (e.requestId() != null) {
            builder.addKeyValue(REQUEST_ID, e.requestId());
        }
        if (e.notRetried() != null) {
            builder.addKeyValue(NOT_RETRIED, e.notRetried());
        }
        return builder;
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
                log.info("retrying " + cause(e) + (RetryDecision.TRANSPARENT.equals(e.reason())
                        ? " transparently (never left; no retry-budget token)" : "") + ": attempt=" + (e.attempt() + 1) + "/" + e.maxAttempts()
                        + " after_ms=" + e.delayMillis() + " route=" + e.routeId() + upstream(e.upstreamId()));
            }
        } else if (e.outcome() == RetryEvent.Outcome.SUCCEEDED_AFTER_RETRY) {
            if (log.isInfoEnabled()) {
                log.info("succeeded after retry: attempt=" + e.attempt() + "/" + e.maxAttempts() + " status="
                        + e.receivedStatus() + " route=" + e.routeId() + upstream(e.upstreamId()));
            }
        } else if (e.outcome() == RetryEvent.Outcome.DENIED_BY_BUDGET) {
            // a state more than an event: while the budget is empty every failed request would log it (each
            // failure line already says not_retried=budget_exhausted), so at most one WARN per route and interval
            long suppressed = log.isWarnEnabled()
                    ? budgetWarnings.computeIfAbsent(e.routeId(), r -> new Throttle()).pass(nanoClock.getAsLong())
                    : -1;
            if (suppressed >= 0) {
                log.warn("retry budget exhausted, not retrying " + cause(e) + ": attempt=" + e.attempt() + "/"
                        + e.maxAttempts() + " route=" + e.routeId() + upstream(e.upstreamId())
                        + " denied_since_last_warning=" + suppressed);
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
    public void onPanicChange(PanicEvent e) {
        if (log.isWarnEnabled()) {
            log.warn((e.kind() == PanicEvent.Kind.ENTERED
                    ? "route in panic, every upstream takes traffic again: "
                    : "route out of panic, ejections apply again: ")
                    + "route=" + e.routeId() + " in_rotation=" + e.inRotation() + "/" + e.upstreams());
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

    /** At most one pass per {@link #BUDGET_WARN_INTERVAL_NANOS}; counts the calls that did not pass. */
    private static final class Throttle {
        private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
        private final AtomicLong suppressed = new AtomicLong();

        /** The count suppressed since the last pass when this call passes, else -1. */
        long pass(long now) {
            long due = nextAt.get();
            if ((due != Long.MIN_VALUE && now - due < 0)
                    || !nextAt.compareAndSet(due, now + BUDGET_WARN_INTERVAL_NANOS)) {
                suppressed.incrementAndGet();
                return -1;
            }
            return suppressed.getAndSet(0);
        }
    }
}
