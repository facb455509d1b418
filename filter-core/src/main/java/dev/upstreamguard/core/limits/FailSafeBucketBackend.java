package dev.upstreamguard.core.limits;

import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.BackendFailureMode;
import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import dev.upstreamguard.core.GuardListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Wraps a shared {@link BucketBackend} (e.g. Redis) so that its failures never fail a request: every call
 * is bounded by a timeout, and when the backend throws, fails or does not answer in time, the configured
 * {@link BackendFailureMode} answers instead ("what happens when that backend is down is an
 * explicit setting, logged and counted").
 *
 * <ul>
 *   <li>{@link BackendFailureMode#ALLOW}: {@code tryConsume} answers {@code Consumption(true, 0, 0, false)}.</li>
 *   <li>{@link BackendFailureMode#DENY}: it answers {@code Consumption(false, 0, denyRetryAfter, false)}, so the
 *       caller's {@code Retry-After} is the short configured hint.</li>
 *   <li>{@code addTokens} failures are swallowed: the stage completes normally.</li>
 * </ul>
 * Every such decision is reported to {@link GuardListener#onBackendFailure} (for metrics) and logged at
 * WARN, at most once per {@link Settings#warnInterval()} — also when the backend fails and answers by turns, as
 * an overloaded one does; the decisions in between are counted and the next WARN says how many there were.
 * The first success after a logged WARN is logged once at INFO ("answers again"), with the count of decisions
 * not logged. No stack traces: the cause's class and message only.
 *
 * <p><b>Pause.</b> After {@link Settings#failuresBeforePause()} consecutive failures the backend is not
 * asked at all for {@link Settings#pause()}: the mode answers at once, so a dead or hanging backend does
 * not cost every request the full timeout. When the pause ends, one call probes the backend (the others
 * keep getting the mode's answer until the probe is decided, for at most another pause); a success ends
 * the pause, a failure starts a new one. Recovery is therefore automatic, within about one pause.
 *
 * <p><b>Threads.</b> Nothing here blocks: the delegate is called on the caller's thread (it must not block
 * either), the timeout is a task on {@code timer}, and the answer completes on whichever thread decides
 * (the delegate's, the timer's, or the caller's for synchronous outcomes). Give a
 * {@link java.util.concurrent.ScheduledThreadPoolExecutor} with {@code setRemoveOnCancelPolicy(true)} so
 * that answered calls do not leave their cancelled timeout tasks queued. The timer is not shut down by
 * {@link #close()}.
 *
 * <p>A backend that answers after its timeout may still have taken the tokens; that late answer is
 * dropped.
 */
public final class FailSafeBucketBackend implements BucketBackend {
    private static final Logger LOG = LoggerFactory.getLogger(FailSafeBucketBackend.class);
    private static final String TRY_CONSUME = "try_consume";
    private static final String ADD_TOKENS = "add_tokens";
    private static final long NOT_PAUSED = Long.MIN_VALUE;

    /**
     * The settings of a {@link FailSafeBucketBackend}.
     *
     * @param timeout             the longest a call may take before the mode answers
     * @param mode                what answers when the backend fails
     * @param denyRetryAfter      in {@link BackendFailureMode#DENY}: the wait reported to the caller
     * @param failuresBeforePause consecutive failures that start a pause
     * @param pause               how long the backend is not asked after that; zero disables pausing
     * @param warnInterval        at most one WARN per interval; the rest are counted
     */
    public record Settings(Duration timeout, BackendFailureMode mode, Duration denyRetryAfter,
                           int failuresBeforePause, Duration pause, Duration warnInterval) {
        /** Default of {@link #denyRetryAfter()}. */
        public static final Duration DEFAULT_DENY_RETRY_AFTER = Duration.ofSeconds(1);
        /** Default of {@link #failuresBeforePause()}. */
        public static final int DEFAULT_FAILURES_BEFORE_PAUSE = 5;
        /** Default of {@link #pause()}. */
        public static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);
        /** Default of {@link #warnInterval()}. */
        public static final Duration DEFAULT_WARN_INTERVAL = Duration.ofSeconds(10);

        /** Checks every value, naming the field. */
        public Settings {
            requirePositive(timeout, "timeout");
            Objects.requireNonNull(mode, "mode");
            requirePositive(denyRetryAfter, "denyRetryAfter");
            if (failuresBeforePause < 1) {
                throw new IllegalArgumentException("failuresBeforePause must be >= 1, was " + failuresBeforePause);
            }
            Objects.requireNonNull(pause, "pause");
            if (pause.isNegative()) {
                throw new IllegalArgumentException("pause must be >= 0, was " + pause);
            }
            requirePositive(warnInterval, "warnInterval");
        }

        /** {@code timeout} and {@code mode} with the defaults for everything else. */
        public static Settings of(Duration timeout, BackendFailureMode mode) {
            return new Settings(timeout, mode, DEFAULT_DENY_RETRY_AFTER, DEFAULT_FAILURES_BEFORE_PAUSE,
                    DEFAULT_PAUSE, DEFAULT_WARN_INTERVAL);
        }

        /** A copy with another {@link #denyRetryAfter()}. */
        public Settings withDenyRetryAfter(Duration value) {
            return new Settings(timeout, mode, value, failuresBeforePause, pause, warnInterval);
        }

        /** A copy with another {@link #failuresBeforePause()} and {@link #pause()}. */
        public Settings withPause(int failures, Duration duration) {
            return new Settings(timeout, mode, denyRetryAfter, failures, duration, warnInterval);
        }

        /** A copy with another {@link #warnInterval()}. */
        public Settings withWarnInterval(Duration value) {
            return new Settings(timeout, mode, denyRetryAfter, failuresBeforePause, pause, value);
        }

        private static void requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
        }
    }

    /**
     * The cause reported while the backend is paused after consecutive failures: it was not asked. Carries
     * no stack trace.
     */
    public static final class BackendPausedException extends Exception {
        private static final long serialVersionUID = 1L;

        BackendPausedException(String message) {
            super(message, null, false, false);
        }
    }

    private final BucketBackend delegate;
    private final Settings settings;
    private final GuardListener listener;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoClock;
    private final Logger log;
    private final Consumption fallback;
    private final BackendPausedException paused;

    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong pausedUntil = new AtomicLong(NOT_PAUSED);
    private final AtomicLong nextWarnAt;
    private final AtomicLong suppressedWarnings = new AtomicLong();
    /** A WARN was logged and its "answers again" INFO is still due. */
    private final AtomicBoolean warnedSinceRecovery = new AtomicBoolean();

    /** Wraps {@code delegate} with {@code timeout} and {@code mode}, the other settings at their defaults. */
    public FailSafeBucketBackend(BucketBackend delegate, Duration timeout, BackendFailureMode mode,
                                 GuardListener listener, ScheduledExecutorService timer) {
        this(delegate, Settings.of(timeout, mode), listener, timer);
    }

    /** Wraps {@code delegate}; {@code timer} runs the timeouts (see the class comment). */
    public FailSafeBucketBackend(BucketBackend delegate, Settings settings, GuardListener listener,
                                 ScheduledExecutorService timer) {
        this(delegate, settings, listener, timer, System::nanoTime, LOG);
    }

    /** Tests inject the clock (nanoseconds) and the logger. */
    FailSafeBucketBackend(BucketBackend delegate, Settings settings, GuardListener listener,
                          ScheduledExecutorService timer, LongSupplier nanoClock, Logger log) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.log = Objects.requireNonNull(log, "log");
        this.fallback = settings.mode() == BackendFailureMode.ALLOW
                ? new Consumption(true, 0, 0, false)
                : new Consumption(false, 0, settings.denyRetryAfter().toNanos(), false);
        this.paused = new BackendPausedException("backend '" + delegate.name() + "' paused after "
                + settings.failuresBeforePause() + " consecutive failures");
        this.nextWarnAt = new AtomicLong(nanoClock.getAsLong());
    }

    /** Takes tokens from the delegate, or answers per the mode when it fails, throws or takes too long. */
    @Override
    public CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens) {
        return guarded(TRY_CONSUME, () -> delegate.tryConsume(key, shape, tokens), fallback);
    }

    /** {@link #tryConsume}, for one client's bucket ({@link BucketBackend#tryConsumeClient}). */
    @Override
    public CompletionStage<Consumption> tryConsumeClient(String scope, String key, BucketShape shape, long tokens) {
        return guarded(TRY_CONSUME, () -> delegate.tryConsumeClient(scope, key, shape, tokens), fallback);
    }

    /** Adds tokens through the delegate; a failure is reported and the stage still completes normally. */
    @Override
    public CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens) {
        return guarded(ADD_TOKENS, () -> delegate.addTokens(key, shape, tokens), null);
    }

    /** The delegate's name: events and logs name the backend that failed. */
    @Override
    public String name() {
        return delegate.name();
    }

    /** The settings in force. */
    public Settings settings() {
        return settings;
    }

    /**
     * Whether the backend is failing now: its last call failed (or it is paused after consecutive failures)
     * and no call has succeeded since, so the {@link Settings#mode() mode} is answering. For metrics.
     */
    @Override
    public boolean failing() {
        return consecutiveFailures.get() > 0 || pausedUntil.get() != NOT_PAUSED;
    }

    /** The mode of the {@link #settings()}. */
    @Override
    public BackendFailureMode failureMode() {
        return settings.mode();
    }

    /** Closes the delegate (not the timer). */
    @Override
    public void close() {
        delegate.close();
    }

    private <T> CompletionStage<T> guarded(String operation, Supplier<CompletionStage<T>> call, T onFailure) {
        if (!mayAskBackend()) {
            decideWithoutBackend(operation, paused, false);
            return CompletableFuture.completedFuture(onFailure);
        }
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(call.get(), "the backend returned no stage");
        } catch (RuntimeException ex) {
            decideWithoutBackend(operation, ex, true);
            return CompletableFuture.completedFuture(onFailure);
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        // whoever decides first does the bookkeeping before completing the answer, so that a caller who
        // sees the answer also sees the state (pause, counts, event) it caused
        AtomicBoolean decided = new AtomicBoolean();
        ScheduledFuture<?> timeout = stage instanceof CompletableFuture<?> done && done.isDone()
                ? null : scheduleTimeout(operation, decided, answer, onFailure);
        stage.whenComplete((value, error) -> {
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (!decided.compareAndSet(false, true)) {
                return; // too late: the mode has answered (a late success does not end a pause either)
            }
            if (error == null) {
                recordSuccess();
                answer.complete(value);
            } else {
                decideWithoutBackend(operation, unwrap(error), true);
                answer.complete(onFailure);
            }
        });
        return answer;
    }

    private <T> ScheduledFuture<?> scheduleTimeout(String operation, AtomicBoolean decided,
                                                   CompletableFuture<T> answer, T onFailure) {
        try {
            return timer.schedule(() -> {
                if (decided.compareAndSet(false, true)) {
                    decideWithoutBackend(operation, new TimeoutException("backend '" + delegate.name()
                            + "' did not answer within " + settings.timeout().toMillis() + " ms"), true);
                    answer.complete(onFailure);
                }
            }, settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException ex) {
            // no timer, no bound: answer now rather than wait for the backend without one
            if (decided.compareAndSet(false, true)) {
                decideWithoutBackend(operation, ex, true);
                answer.complete(onFailure);
            }
            return null;
        }
    }

    /** False while paused; when a pause has ended, true for exactly one caller (the probe), who re-arms it. */
    private boolean mayAskBackend() {
        long until = pausedUntil.get();
        if (until == NOT_PAUSED) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (now - until < 0) {
            return false;
        }
        return pausedUntil.compareAndSet(until, now + settings.pause().toNanos())
                || pausedUntil.get() == NOT_PAUSED;
    }

    private void recordSuccess() {
        if (consecutiveFailures.get() == 0 && pausedUntil.get() == NOT_PAUSED) {
            return; // the usual case: no write to shared state
        }
        int failures = consecutiveFailures.getAndSet(0);
        pausedUntil.set(NOT_PAUSED);
        // the WARN interval is not reset here: a backend that fails and answers by turns must not log a pair
        // of lines per failure
        if (failures > 0 && warnedSinceRecovery.compareAndSet(true, false)) {
            log.info("Limit backend '{}' answers again after {} consecutive failures ({} decisions not logged so far)",
                    delegate.name(), failures, suppressedWarnings.get());
        }
    }

    private void decideWithoutBackend(String operation, Throwable cause, boolean backendFailed) {
        if (backendFailed) {
            int failures = consecutiveFailures.incrementAndGet();
            if (failures >= settings.failuresBeforePause() && !settings.pause().isZero()) {
                pausedUntil.set(nanoClock.getAsLong() + settings.pause().toNanos());
            }
        }
        warn(operation, cause);
        try {
            listener.onBackendFailure(new BackendFailureEvent(delegate.name(), operation, settings.mode(), cause));
        } catch (RuntimeException ex) {
            log.debug("GuardListener threw from onBackendFailure", ex);
        }
    }

    private void warn(String operation, Throwable cause) {
        long now = nanoClock.getAsLong();
        long due = nextWarnAt.get();
        if (now - due < 0 || !nextWarnAt.compareAndSet(due, now + settings.warnInterval().toNanos())) {
            suppressedWarnings.incrementAndGet();
            return;
        }
        long suppressed = suppressedWarnings.getAndSet(0);
        warnedSinceRecovery.set(true);
        log.warn("Limit backend '{}' failed ({}), {}: {}; {} similar decisions since the last warning",
                delegate.name(), operation, settings.mode() == BackendFailureMode.ALLOW
                        ? "allowed (fail open)" : "denied (fail closed)",
                cause, suppressed);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
