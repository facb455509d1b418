package dev.upstreamguard.core.limits;

import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.BackendFailureMode;
import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import dev.upstreamguard.core.GuardListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailSafeBucketBackendTest {
    private static final BucketShape SHAPE = new BucketShape("per-client", 10, 10, Duration.ofSeconds(1));
    private static final Duration TIMEOUT = Duration.ofMillis(100);
    private static final Consumption ALLOWED = new Consumption(true, 0, 0, false);
    private static final Consumption DENIED = new Consumption(false, 0, Duration.ofSeconds(1).toNanos(), false);

    private final FakeClock clock = new FakeClock();
    private final ManualTimer timer = new ManualTimer(clock);
    private final FakeBackend backend = new FakeBackend();
    private final List<BackendFailureEvent> events = new CopyOnWriteArrayList<>();
    private final GuardListener listener = new GuardListener() {
        @Override
        public void onBackendFailure(BackendFailureEvent event) {
            events.add(event);
        }
    };
    private final RecordingLogger log = new RecordingLogger();

    private FailSafeBucketBackend failSafe(FailSafeBucketBackend.Settings settings) {
        return new FailSafeBucketBackend(backend, settings, listener, timer, clock, log);
    }

    private FailSafeBucketBackend failSafe(BackendFailureMode mode) {
        return failSafe(FailSafeBucketBackend.Settings.of(TIMEOUT, mode));
    }

    private static Consumption expected(BackendFailureMode mode) {
        return mode == BackendFailureMode.ALLOW ? ALLOWED : DENIED;
    }

    @Test
    void passesTheBackendsAnswerThroughAndCancelsItsTimeout() {
        FailSafeBucketBackend guard = failSafe(BackendFailureMode.DENY);
        CompletableFuture<Consumption> answer = guard.tryConsume("client-1", SHAPE, 1).toCompletableFuture();
        assertThat(answer).isNotDone();
        assertThat(backend.lastKey).isEqualTo("client-1");

        Consumption fromRedis = new Consumption(true, 9, 0, true);
        backend.pending.get(0).complete(fromRedis);

        assertThat(answer).isCompletedWithValue(fromRedis);
        assertThat(timer.tasks).singleElement().satisfies(t -> assertThat(t.isCancelled()).isTrue());
        assertThat(events).isEmpty();
        assertThat(log.lines).isEmpty();
    }

    @Test
    void anAnswerThatIsAlreadyThereNeedsNoTimer() {
        backend.next = () -> CompletableFuture.completedFuture(new Consumption(false, 0, 5, true));
        assertThat(failSafe(BackendFailureMode.ALLOW).tryConsume("k", SHAPE, 1).toCompletableFuture())
                .isCompletedWithValue(new Consumption(false, 0, 5, true));
        assertThat(timer.tasks).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(BackendFailureMode.class)
    void aBackendThatDoesNotAnswerInTimeIsAnsweredByTheMode(BackendFailureMode mode) {
        CompletableFuture<Consumption> answer = failSafe(mode).tryConsume("k", SHAPE, 1).toCompletableFuture();

        timer.advance(TIMEOUT.minusNanos(1));
        assertThat(answer).isNotDone();
        timer.advance(Duration.ofNanos(1));

        assertThat(answer).isCompletedWithValue(expected(mode));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.backend()).isEqualTo("fake");
            assertThat(e.operation()).isEqualTo("try_consume");
            assertThat(e.mode()).isEqualTo(mode);
            assertThat(e.cause()).isInstanceOf(TimeoutException.class).hasMessageContaining("100 ms");
        });
    }

    @ParameterizedTest
    @EnumSource(BackendFailureMode.class)
    void aFailedAnswerIsReplacedByTheMode(BackendFailureMode mode) {
        CompletableFuture<Consumption> answer = failSafe(mode).tryConsume("k", SHAPE, 1).toCompletableFuture();
        IOException down = new IOException("connection refused");
        backend.pending.get(0).completeExceptionally(new CompletionException(down));

        assertThat(answer).isCompletedWithValue(expected(mode));
        assertThat(events).singleElement().satisfies(e -> assertThat(e.cause()).isSameAs(down));
        assertThat(timer.tasks).singleElement().satisfies(t -> assertThat(t.isCancelled()).isTrue());
    }

    @ParameterizedTest
    @EnumSource(BackendFailureMode.class)
    void aBackendThatThrowsIsAnsweredByTheMode(BackendFailureMode mode) {
        IllegalStateException broken = new IllegalStateException("closed");
        backend.next = () -> {
            throw broken;
        };
        assertThat(failSafe(mode).tryConsume("k", SHAPE, 1).toCompletableFuture())
                .isCompletedWithValue(expected(mode));
        assertThat(events).singleElement().satisfies(e -> assertThat(e.cause()).isSameAs(broken));
    }

    @Test
    void denyReportsTheConfiguredRetryHint() {
        FailSafeBucketBackend guard = failSafe(FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.DENY)
                .withDenyRetryAfter(Duration.ofMillis(2500)));
        backend.next = () -> CompletableFuture.failedFuture(new IOException("down"));
        assertThat(guard.tryConsume("k", SHAPE, 1).toCompletableFuture())
                .isCompletedWithValue(new Consumption(false, 0, Duration.ofMillis(2500).toNanos(), false));
    }

    @ParameterizedTest
    @EnumSource(BackendFailureMode.class)
    void addTokensFailuresAreReportedAndSwallowed(BackendFailureMode mode) {
        FailSafeBucketBackend guard = failSafe(mode);
        CompletableFuture<Void> failed = guard.addTokens("k", SHAPE, 3).toCompletableFuture();
        backend.pendingAdds.get(0).completeExceptionally(new IOException("down"));
        CompletableFuture<Void> slow = guard.addTokens("k", SHAPE, 3).toCompletableFuture();
        timer.advance(TIMEOUT);

        assertThat(failed).isCompletedWithValue(null);
        assertThat(slow).isCompletedWithValue(null);
        assertThat(events).extracting(BackendFailureEvent::operation).containsExactly("add_tokens", "add_tokens");
        assertThat(events).extracting(BackendFailureEvent::mode).containsOnly(mode);
    }

    @Test
    void aLateAnswerAfterTheTimeoutIsDropped() {
        CompletableFuture<Consumption> answer = failSafe(BackendFailureMode.DENY)
                .tryConsume("k", SHAPE, 1).toCompletableFuture();
        timer.advance(TIMEOUT);
        backend.pending.get(0).complete(new Consumption(true, 3, 0, true));

        assertThat(answer).isCompletedWithValue(DENIED);
        assertThat(events).hasSize(1);
    }

    @Test
    void aLateSuccessDoesNotEndThePause() {
        FailSafeBucketBackend guard = failSafe(FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.ALLOW)
                .withPause(1, Duration.ofSeconds(1)));
        guard.tryConsume("k", SHAPE, 1);
        timer.advance(TIMEOUT);
        backend.pending.get(0).complete(new Consumption(true, 3, 0, true));

        guard.tryConsume("k", SHAPE, 1);
        assertThat(backend.calls).as("a backend slower than the timeout stays paused").isEqualTo(1);
    }

    @Test
    void whoeverSeesTheAnswerAlsoSeesTheEventAndThePause() {
        FailSafeBucketBackend guard = failSafe(FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.DENY)
                .withPause(1, Duration.ofSeconds(1)));
        List<Integer> seen = new ArrayList<>();
        guard.tryConsume("k", SHAPE, 1).thenRun(() -> {
            seen.add(events.size());
            guard.tryConsume("k", SHAPE, 1);
            seen.add(backend.calls);
        });
        backend.pending.get(0).completeExceptionally(new IOException("down"));

        assertThat(seen).containsExactly(1, 1);
    }

    @Test
    void aTimerThatRefusesTheTimeoutGetsTheModesAnswerAtOnce() {
        timer.rejecting = true;
        assertThat(failSafe(BackendFailureMode.ALLOW).tryConsume("k", SHAPE, 1).toCompletableFuture())
                .isCompletedWithValue(ALLOWED);
        assertThat(events).singleElement()
                .satisfies(e -> assertThat(e.cause()).isInstanceOf(RejectedExecutionException.class));
    }

    @Test
    void aListenerThatThrowsDoesNotChangeTheAnswer() {
        FailSafeBucketBackend guard = new FailSafeBucketBackend(backend,
                FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.ALLOW), new GuardListener() {
                    @Override
                    public void onBackendFailure(BackendFailureEvent event) {
                        throw new IllegalStateException("broken listener");
                    }
                }, timer, clock, log);
        backend.next = () -> CompletableFuture.failedFuture(new IOException("down"));
        assertThat(guard.tryConsume("k", SHAPE, 1).toCompletableFuture()).isCompletedWithValue(ALLOWED);
    }

    @Test
    void afterConsecutiveFailuresTheBackendIsNotAskedDuringThePause() {
        FailSafeBucketBackend guard = failSafe(FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.ALLOW)
                .withPause(3, Duration.ofSeconds(2)));
        backend.next = () -> CompletableFuture.failedFuture(new IOException("down"));
        for (int i = 0; i < 3; i++) {
            guard.tryConsume("k", SHAPE, 1);
        }
        assertThat(backend.calls).isEqualTo(3);

        CompletableFuture<Consumption> duringPause = guard.tryConsume("k", SHAPE, 1).toCompletableFuture();
        clock.advance(Duration.ofSeconds(2).minusNanos(1));
        guard.addTokens("k", SHAPE, 1);

        assertThat(backend.calls).isEqualTo(3);
        assertThat(duringPause).isCompletedWithValue(ALLOWED);
        assertThat(events).hasSize(5);
        assertThat(events.subList(3, 5)).extracting(BackendFailureEvent::cause)
                .allSatisfy(c -> assertThat(c).isInstanceOf(FailSafeBucketBackend.BackendPausedException.class)
                        .hasMessageContaining("3 consecutive failures"));
    }

    @Test
    void whenThePauseEndsOneCallProbesAndItsSuccessEndsThePause() {
        FailSafeBucketBackend guard = failSafe(FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.DENY)
                .withPause(1, Duration.ofSeconds(1)));
        backend.next = () -> CompletableFuture.failedFuture(new IOException("down"));
        guard.tryConsume("k", SHAPE, 1);
        clock.advance(Duration.ofSeconds(1));
        backend.next = backend::pendingConsume;

        CompletableFuture<Consumption> probe = guard.tryConsume("k", SHAPE, 1).toCompletableFuture();
        CompletableFuture<Consumption> whileProbing = guard.tryConsume("k", SHAPE, 1).toCompletableFuture();
        assertThat(backend.calls).isEqualTo(2);
        assertThat(whileProbing).isCompletedWithValue(DENIED);

        backend.pending.get(0).complete(new Consumption(true, 9, 0, true));
        assertThat(probe).isCompletedWithValue(new Consumption(true, 9, 0, true));
        guard.tryConsume("k", SHAPE, 1);
        guard.tryConsume("k", SHAPE, 1);
        assertThat(backend.calls).isEqualTo(4);
        assertThat(log.lines).last().asString().startsWith("INFO Limit backend 'fake' answers again after 1");
    }

    @Test
    void aFailedProbeStartsAnotherPause() {
        FailSafeBucketBackend guard = failSafe(FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.ALLOW)
                .withPause(1, Duration.ofSeconds(1)));
        guard.tryConsume("k", SHAPE, 1);
        timer.advance(TIMEOUT);
        clock.advance(Duration.ofSeconds(1));

        guard.tryConsume("k", SHAPE, 1);
        timer.advance(TIMEOUT);
        assertThat(backend.calls).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1).minus(TIMEOUT)); // the probe's own hold is over
        guard.tryConsume("k", SHAPE, 1);
        assertThat(backend.calls).as("paused again from the probe's failure").isEqualTo(2);
        clock.advance(TIMEOUT);
        guard.tryConsume("k", SHAPE, 1);
        assertThat(backend.calls).isEqualTo(3);
    }

    @Test
    void warnsAtMostOncePerIntervalAndCountsTheRest() {
        FailSafeBucketBackend guard = failSafe(FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.DENY)
                .withPause(1000, Duration.ofSeconds(1)).withWarnInterval(Duration.ofSeconds(10)));
        backend.next = () -> CompletableFuture.failedFuture(new IOException("connection refused"));
        for (int i = 0; i < 50; i++) {
            guard.tryConsume("k", SHAPE, 1);
            clock.advance(Duration.ofMillis(100));
        }
        assertThat(log.lines).containsExactly("WARN Limit backend 'fake' failed (try_consume), denied (fail closed): "
                + "java.io.IOException: connection refused; 0 similar decisions since the last warning");

        clock.advance(Duration.ofSeconds(5));
        guard.tryConsume("k", SHAPE, 1);
        assertThat(log.lines).hasSize(2).last().asString().endsWith("; 49 similar decisions since the last warning");
        assertThat(log.throwables).isZero();
        assertThat(events).hasSize(51);
    }

    @Test
    void anOutageAfterRecoveryIsLoggedOnceTheIntervalHasPassed() {
        FailSafeBucketBackend guard = failSafe(FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.ALLOW)
                .withWarnInterval(Duration.ofSeconds(10)));
        backend.next = () -> CompletableFuture.failedFuture(new IOException("down"));
        guard.tryConsume("k", SHAPE, 1);
        backend.next = () -> CompletableFuture.completedFuture(new Consumption(true, 1, 0, true));
        guard.tryConsume("k", SHAPE, 1);
        backend.next = () -> CompletableFuture.failedFuture(new IOException("down again"));
        guard.tryConsume("k", SHAPE, 1);
        assertThat(log.lines).hasSize(2);
        assertThat(log.lines.get(0)).startsWith("WARN").contains("allowed (fail open)");
        assertThat(log.lines.get(1)).startsWith("INFO").contains("answers again after 1 consecutive failures");

        clock.advance(Duration.ofSeconds(10));
        guard.tryConsume("k", SHAPE, 1);
        assertThat(log.lines).hasSize(3);
        assertThat(log.lines.get(2)).startsWith("WARN").contains("down again")
                .endsWith("; 1 similar decisions since the last warning");
    }

    @Test
    void aBackendThatFailsAndAnswersByTurnsLogsAtMostAWarnAndAnInfoPerInterval() {
        FailSafeBucketBackend guard = failSafe(FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.ALLOW)
                .withWarnInterval(Duration.ofSeconds(10)));
        for (int i = 0; i < 100; i++) { // 100 failures and 100 successes in 9.9 s
            backend.next = () -> CompletableFuture.failedFuture(new IOException("timeout"));
            guard.tryConsume("k", SHAPE, 1);
            backend.next = () -> CompletableFuture.completedFuture(new Consumption(true, 1, 0, true));
            guard.tryConsume("k", SHAPE, 1);
            clock.advance(Duration.ofMillis(99));
        }
        assertThat(log.lines).hasSize(2);
        assertThat(log.lines.get(0)).startsWith("WARN");
        assertThat(log.lines.get(1)).startsWith("INFO").endsWith("(0 decisions not logged so far)");
        assertThat(events).hasSize(100);

        clock.advance(Duration.ofMillis(100));
        backend.next = () -> CompletableFuture.failedFuture(new IOException("timeout"));
        guard.tryConsume("k", SHAPE, 1);
        assertThat(log.lines).hasSize(3).last().asString().endsWith("; 99 similar decisions since the last warning");
    }

    @Test
    void nameAndCloseGoToTheDelegate() {
        FailSafeBucketBackend guard = failSafe(BackendFailureMode.ALLOW);
        guard.close();
        assertThat(guard.name()).isEqualTo("fake");
        assertThat(backend.closed).isTrue();
        assertThat(timer.isShutdown()).isFalse();
    }

    static Stream<Arguments> invalidSettings() {
        FailSafeBucketBackend.Settings ok = FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.ALLOW);
        return Stream.of(
                Arguments.of((Supplier<?>) () -> FailSafeBucketBackend.Settings.of(Duration.ZERO, BackendFailureMode.ALLOW), "timeout"),
                Arguments.of((Supplier<?>) () -> FailSafeBucketBackend.Settings.of(TIMEOUT, null), "mode"),
                Arguments.of((Supplier<?>) () -> ok.withDenyRetryAfter(Duration.ofSeconds(-1)), "denyRetryAfter"),
                Arguments.of((Supplier<?>) () -> ok.withPause(0, Duration.ofSeconds(1)), "failuresBeforePause"),
                Arguments.of((Supplier<?>) () -> ok.withPause(3, Duration.ofSeconds(-1)), "pause"),
                Arguments.of((Supplier<?>) () -> ok.withWarnInterval(Duration.ZERO), "warnInterval"));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void invalidSettingsAreRefusedNamingTheField(Supplier<?> settings, String field) {
        assertThatThrownBy(settings::get).isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class)
                .hasMessageStartingWith(field);
    }

    @Test
    void aZeroPauseNeverPauses() {
        FailSafeBucketBackend guard = failSafe(FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.ALLOW)
                .withPause(1, Duration.ZERO));
        backend.next = () -> CompletableFuture.failedFuture(new IOException("down"));
        for (int i = 0; i < 4; i++) {
            guard.tryConsume("k", SHAPE, 1);
        }
        assertThat(backend.calls).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(BackendFailureMode.class)
    void aClientBucketGoesToTheDelegatesClientMethodAndFailsAsTheModeSays(BackendFailureMode mode) {
        FailSafeBucketBackend guard = failSafe(mode);
        CompletableFuture<Consumption> answer = guard.tryConsumeClient("orders", "orders|addr:192.0.2.1", SHAPE, 1)
                .toCompletableFuture();
        assertThat(backend.lastScope).isEqualTo("orders");
        assertThat(backend.lastKey).isEqualTo("orders|addr:192.0.2.1");
        backend.pending.get(0).completeExceptionally(new IOException("connection reset"));
        assertThat(answer).isCompletedWithValue(expected(mode));
    }

    /** A backend whose answers the test decides: pending futures by default. */
    static final class FakeBackend implements BucketBackend {
        final List<CompletableFuture<Consumption>> pending = new ArrayList<>();
        final List<CompletableFuture<Void>> pendingAdds = new ArrayList<>();
        Supplier<CompletionStage<Consumption>> next = this::pendingConsume;
        int calls;
        String lastKey;
        String lastScope;
        boolean closed;

        CompletionStage<Consumption> pendingConsume() {
            CompletableFuture<Consumption> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        @Override
        public CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens) {
            calls++;
            lastKey = key;
            return next.get();
        }

        @Override
        public CompletionStage<Consumption> tryConsumeClient(String scope, String key, BucketShape shape, long tokens) {
            lastScope = scope;
            return tryConsume(key, shape, tokens);
        }

        @Override
        public CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens) {
            calls++;
            CompletableFuture<Void> f = new CompletableFuture<>();
            pendingAdds.add(f);
            return f;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Nanoseconds that move only when told, starting just before the long overflows (nanoTime may). */
    static final class FakeClock implements java.util.function.LongSupplier {
        private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - Duration.ofSeconds(3).toNanos());

        @Override
        public long getAsLong() {
            return nanos.get();
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    /** Runs scheduled tasks when {@link #advance} moves the fake clock past their time. */
    static final class ManualTimer extends AbstractExecutorService implements ScheduledExecutorService {
        final List<Task> tasks = new ArrayList<>();
        private final FakeClock clock;
        boolean rejecting;

        ManualTimer(FakeClock clock) {
            this.clock = clock;
        }

        void advance(Duration d) {
            clock.advance(d);
            for (Task t : List.copyOf(tasks)) {
                if (!t.isDone() && clock.getAsLong() - t.dueNanos >= 0) {
                    t.run();
                }
            }
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (rejecting) {
                throw new RejectedExecutionException("timer shut down");
            }
            Task task = new Task(command, clock.getAsLong() + unit.toNanos(delay));
            tasks.add(task);
            return task;
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void execute(Runnable command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void shutdown() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Runnable> shutdownNow() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        final class Task extends FutureTask<Void> implements ScheduledFuture<Void> {
            final long dueNanos;

            Task(Runnable command, long dueNanos) {
                super(command, null);
                this.dueNanos = dueNanos;
            }

            @Override
            public long getDelay(TimeUnit unit) {
                return unit.convert(dueNanos - clock.getAsLong(), TimeUnit.NANOSECONDS);
            }

            @Override
            public int compareTo(Delayed other) {
                return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
            }
        }
    }

    /** Keeps each formatted line as "LEVEL message", and counts throwables handed to the logger. */
    static final class RecordingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        final List<String> lines = new CopyOnWriteArrayList<>();
        int throwables;

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                                   Throwable throwable) {
            if (level.toInt() >= Level.INFO.toInt()) {
                lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args));
            }
            if (throwable != null) {
                throwables++;
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
