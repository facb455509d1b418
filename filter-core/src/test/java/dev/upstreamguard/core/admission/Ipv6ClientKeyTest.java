package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.RateLimitPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IPv6 clients are rate-limited by their network prefix (a /64 by default), not per address. */
class Ipv6ClientKeyTest {
    private static final Function<String, String> NO_HEADERS = name -> null;
    private static final RateLimitPolicy FIVE_PER_MINUTE = RateLimitPolicy.perAddress("default", 5, Duration.ofMinutes(1));

    private final FakeClock clock = new FakeClock();

    private int allowed(RateLimiter limiter, Iterable<String> addresses) {
        int allowed = 0;
        for (String address : addresses) {
            if (limiter.tryAcquire(address, NO_HEADERS).toCompletableFuture().getNow(null).allowed()) {
                allowed++;
            }
        }
        return allowed;
    }

    private static java.util.List<String> addressesIn(String prefix64, int count) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(prefix64 + Integer.toHexString(i >>> 16) + ':' + Integer.toHexString(i & 0xFFFF) + ":"
                    + Integer.toHexString(i % 7) + ':' + Integer.toHexString(i));
        }
        return out;
    }

    @Test
    void aThousandAddressesOfOneSlash64GetOnlyTheLimitsWorth() {
        RateLimiter limiter = new RateLimiter("orders", FIVE_PER_MINUTE, new InMemoryBucketBackend(clock, 10_000));
        assertThat(allowed(limiter, addressesIn("2001:db8:aa:1:", 1_000))).isEqualTo(5);
    }

    @Test
    void twoSlash64sHaveSeparateBudgets() {
        RateLimiter limiter = new RateLimiter("orders", FIVE_PER_MINUTE, new InMemoryBucketBackend(clock, 10_000));
        assertThat(allowed(limiter, addressesIn("2001:db8:aa:1:", 100))).isEqualTo(5);
        assertThat(allowed(limiter, addressesIn("2001:db8:aa:2:", 100))).isEqualTo(5);
    }

    @Test
    void thePrefixLengthIsConfigurable() {
        RateLimiter perAddress = new RateLimiter("orders", FIVE_PER_MINUTE.withIpv6PrefixLength(128),
                new InMemoryBucketBackend(clock, 10_000));
        assertThat(allowed(perAddress, addressesIn("2001:db8:aa:1:", 100))).isEqualTo(100);

        RateLimiter per48 = new RateLimiter("orders", FIVE_PER_MINUTE.withIpv6PrefixLength(48),
                new InMemoryBucketBackend(clock, 10_000));
        assertThat(allowed(per48, addressesIn("2001:db8:aa:1:", 50)) + allowed(per48, addressesIn("2001:db8:aa:2:", 50)))
                .isEqualTo(5);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "2001:db8:aa:1:2:3:4:5        | addr:2001:db8:aa:1:0:0:0:0/64",
            "2001:DB8:AA:1::9             | addr:2001:db8:aa:1:0:0:0:0/64",
            "[2001:db8:aa:1::9]           | addr:2001:db8:aa:1:0:0:0:0/64",
            "fe80::1%eth0                 | addr:fe80:0:0:0:0:0:0:0/64",
            "::ffff:192.0.2.7             | addr:192.0.2.7",
            "::FFFF:c000:0207             | addr:192.0.2.7",
            "192.0.2.7                    | addr:192.0.2.7",
            "not:an:address               | addr:not:an:address",
            "unix:/run/sock               | addr:unix:/run/sock"})
    void keysOfAddresses(String address, String key) {
        RateLimiter limiter = new RateLimiter("orders", FIVE_PER_MINUTE, new InMemoryBucketBackend(clock, 10));
        assertThat(limiter.key(address, NO_HEADERS)).isEqualTo(key);
    }

    @Test
    void anIpv4MappedAddressSharesTheBudgetOfItsIpv4Address() {
        RateLimiter limiter = new RateLimiter("orders", FIVE_PER_MINUTE, new InMemoryBucketBackend(clock, 10));
        assertThat(allowed(limiter, java.util.List.of("192.0.2.7", "::ffff:192.0.2.7", "192.0.2.7",
                "::ffff:192.0.2.7", "192.0.2.7", "::ffff:192.0.2.7"))).isEqualTo(5);
    }

    @Test
    void aPrefixOf128KeysTheWholeAddress() {
        RateLimiter limiter = new RateLimiter("orders", FIVE_PER_MINUTE.withIpv6PrefixLength(128),
                new InMemoryBucketBackend(clock, 10));
        assertThat(limiter.key("2001:db8::1", NO_HEADERS)).isEqualTo("addr:2001:db8:0:0:0:0:0:1");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 129})
    void thePrefixLengthIsValidated(int bits) {
        assertThatThrownBy(() -> FIVE_PER_MINUTE.withIpv6PrefixLength(bits))
                .hasMessageContaining("ipv6PrefixLength must be between 1 and 128, was " + bits);
    }

    @Test
    void theDefaultIsASlash64() {
        assertThat(RateLimitPolicy.defaults().ipv6PrefixLength()).isEqualTo(64);
        assertThat(FIVE_PER_MINUTE.withBurst(9).keyedByHeader("X-Api-Key").withIpv6PrefixLength(56)
                .withBurst(3).ipv6PrefixLength()).isEqualTo(56);
    }
}
