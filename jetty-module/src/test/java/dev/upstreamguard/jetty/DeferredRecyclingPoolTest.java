package dev.upstreamguard.jetty;

import org.eclipse.jetty.io.RetainableByteBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link DeferredRecyclingPool} holds back, and for how long, over a pool that shows what came back. */
class DeferredRecyclingPoolTest {
    private static final int RESPONSE_BUFFER = 16384;

    private final GraveyardPool wrapped = new GraveyardPool();

    @Test
    void aReleasedResponseBufferIsHeldBackUntilItsDelayPassedOrTheHoldIsCleared() {
        DeferredRecyclingPool pool = new DeferredRecyclingPool(wrapped, () -> RESPONSE_BUFFER, 60_000);
        RetainableByteBuffer buffer = pool.acquire(RESPONSE_BUFFER, false);
        buffer.retain();

        assertThat(buffer.isRetained()).isTrue();
        assertThat(buffer.release()).isFalse();
        assertThat(buffer.isRetained()).isFalse();
        assertThat(buffer.release()).isTrue();
        buffer.getByteBuffer().clear(); // what Jetty's receiver does with a stale reference

        assertThat(pool.held()).isEqualTo(1);
        assertThat(wrapped.buried()).isZero();
        pool.clear();
        assertThat(pool.held()).isZero();
        assertThat(wrapped.buried()).isEqualTo(1);
        assertThat(wrapped.writtenAfterRelease()).isEmpty();
    }

    @Test
    void heldBuffersGoBackOnceTheirDelayPassed() {
        DeferredRecyclingPool pool = new DeferredRecyclingPool(wrapped, () -> RESPONSE_BUFFER, 0);
        pool.acquire(RESPONSE_BUFFER, true).release();

        assertThat(pool.held()).isZero();
        assertThat(wrapped.buried()).isEqualTo(1);
    }

    @Test
    void otherBuffersGoBackAtOnce() {
        DeferredRecyclingPool pool = new DeferredRecyclingPool(wrapped, () -> RESPONSE_BUFFER, 60_000);
        pool.acquire(4096, false).release();

        assertThat(pool.held()).isZero();
        assertThat(wrapped.buried()).isEqualTo(1);
    }

    @Test
    void aSliceHoldsItsBufferAndTheBufferCannotBeReleasedTwice() {
        DeferredRecyclingPool pool = new DeferredRecyclingPool(wrapped, () -> RESPONSE_BUFFER, 0);
        RetainableByteBuffer buffer = pool.acquire(RESPONSE_BUFFER, false);
        RetainableByteBuffer slice = buffer.slice();

        assertThat(buffer.release()).isFalse();
        assertThat(wrapped.buried()).isZero();
        assertThat(slice.release()).isTrue();
        assertThat(wrapped.buried()).isEqualTo(1);
        assertThatThrownBy(buffer::release).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(buffer::retain).isInstanceOf(IllegalStateException.class);
        assertThat(wrapped.overReleases()).isEmpty();
        assertThat(wrapped.leaks()).isZero();
    }

    @Test
    void beyondTheLimitTheOldestHeldBufferGoesBackEarly() {
        DeferredRecyclingPool pool = new DeferredRecyclingPool(wrapped, () -> RESPONSE_BUFFER, 60_000);
        for (int i = 0; i <= DeferredRecyclingPool.MAX_HELD; i++) {
            pool.acquire(RESPONSE_BUFFER, false).release();
        }

        assertThat(pool.held()).isEqualTo(DeferredRecyclingPool.MAX_HELD);
        assertThat(wrapped.buried()).isEqualTo(1);
    }
}
