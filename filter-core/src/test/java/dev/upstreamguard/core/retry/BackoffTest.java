package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.policy.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    private static final Duration BASE = Duration.ofMillis(25);
    private static final Duration CAP = Duration.ofMillis(250);

    @ParameterizedTest(name = "after attempt {0}: ceiling {1} ms")
    @CsvSource({"1, 25", "2, 50", "3, 100", "4, 200", "5, 250", "6, 250", "63, 250", "64, 250", "1000, 250",
            "2147483647, 250"})
    void theCeilingDoublesPerAttemptUpToTheCap(int attempt, long ceilingMillis) {
        assertThat(Backoff.ceiling(BASE, CAP, attempt)).isEqualTo(Duration.ofMillis(ceilingMillis));
    }

    @ParameterizedTest(name = "random {0} after attempt 3: {1} ns")
    @CsvSource({"0.0, 0", "0.5, 50000000", "0.25, 25000000", "-1.0, 0", "NaN, 0"})
    void theDelayIsTheDrawTimesTheCeiling(double random, long nanos) {
        assertThat(Backoff.fullJitter(BASE, CAP, 3, random)).isEqualTo(Duration.ofNanos(nanos));
    }

    @Test
    void drawsAtOrAboveOneStayWithinTheCeiling() {
        assertThat(Backoff.fullJitter(BASE, CAP, 3, 1.0)).isLessThanOrEqualTo(Duration.ofMillis(100))
                .isGreaterThan(Duration.ofMillis(99));
        assertThat(Backoff.fullJitter(BASE, CAP, 3, 7.5)).isLessThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Backoff.fullJitter(BASE, CAP, 3, Double.POSITIVE_INFINITY)).isLessThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aZeroBaseNeverWaitsAndABaseAboveTheCapIsCapped() {
        assertThat(Backoff.ceiling(Duration.ZERO, CAP, 70)).isZero();
        assertThat(Backoff.ceiling(Duration.ofSeconds(1), CAP, 1)).isEqualTo(CAP);
    }

    @Test
    void attemptsStartAtOne() {
        assertThatThrownBy(() -> Backoff.fullJitter(BASE, CAP, 0, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempt must be >= 1");
    }

    /** Property: for any base ≤ cap, attempt and draw, 0 ≤ delay ≤ min(cap, base × 2^(attempt-1)), exactly. */
    @Test
    void theDelayIsAlwaysWithinZeroAndTheExactCeiling() {
        Random rnd = new Random(20261126L);
        long maxNanos = RetryPolicy.MAX_DURATION.toNanos();
        for (int i = 0; i < 10_000; i++) {
            long cap = i % 10 == 0 ? maxNanos : (long) (rnd.nextDouble() * maxNanos);
            long base = i % 7 == 0 ? 1 : (long) (rnd.nextDouble() * cap);
            int attempt = i % 3 == 0 ? 1 + rnd.nextInt(Integer.MAX_VALUE) : 1 + rnd.nextInt(130);
            double draw = rnd.nextDouble();
            BigInteger exact = BigInteger.valueOf(base).shiftLeft(Math.min(attempt - 1, 200)).min(BigInteger.valueOf(cap));

            Duration ceiling = Backoff.ceiling(Duration.ofNanos(base), Duration.ofNanos(cap), attempt);
            Duration delay = Backoff.fullJitter(Duration.ofNanos(base), Duration.ofNanos(cap), attempt, draw);

            String label = "base=" + base + " cap=" + cap + " attempt=" + attempt + " draw=" + draw;
            assertThat(ceiling.toNanos()).as(label).isEqualTo(exact.longValueExact());
            assertThat(delay.isNegative()).as(label).isFalse();
            assertThat(delay).as(label).isLessThanOrEqualTo(ceiling);
        }
    }

    @Test
    void theDefaultsNeverExceedTheCapEvenForAttemptSixtyAndBeyond() {
        Random rnd = new Random(7L);
        for (int attempt = 1; attempt <= 200; attempt++) {
            for (int i = 0; i < 50; i++) {
                Duration delay = Backoff.fullJitter(BASE, CAP, attempt, rnd.nextDouble());
                assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(Math.min(250, 25L << Math.min(attempt - 1, 10))));
            }
        }
    }
}
