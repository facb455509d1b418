package dev.upstreamguard.jetty;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The buffer pool of the proxy's upstream client: the pool it wraps, except that a response buffer
 * (the size {@code HttpClient#getResponseBufferSize()} asks for, the size of the client's network buffers)
 * goes back to that pool only {@link #DEFAULT_DELAY_MILLIS} after its last release, not at once.
 *
 * <p>Why: Jetty 12.1's HTTP/1.1 client ({@code org.eclipse.jetty.client.transport.internal.HttpReceiverOverHTTP},
 * checked with 12.1.12) writes to its network buffer after releasing it. Its {@code parse(boolean)} keeps the
 * buffer's {@code ByteBuffer} in a local variable while it notifies the response listener (response headers,
 * content available). A proxy demands more content from inside that notification whenever its write to the
 * client completes at once, so Jetty reads again re-entrantly ({@code read(boolean)} → {@code parseAndFill});
 * when that nested read meets the end of the stream or another failure (an upstream that closes or resets in
 * the middle of a body), the nested {@code parseAndFill} releases the network buffer to the pool and the
 * failure disposes the receiver. Back in the outer {@code parse}, the {@code disposed} branch then calls
 * {@code BufferUtil.clear} on its stale local reference: on a buffer the pool may already have handed to
 * another connection, whose read it corrupts — {@code IllegalArgumentException: newPosition > limit} in
 * {@code SocketChannelEndPoint.fill}, responses garbled ({@code http_protocol_error}) or lost (read and head
 * timeouts) for requests that have nothing to do with the failed one. Jetty's own {@code ProxyHandler} does the
 * same. Holding released response buffers back for a while leaves the stale write on a buffer nobody uses;
 * the other buffers (request heads and bodies) are pooled as usual.
 *
 * <p>At most {@link #MAX_HELD} buffers are held back; beyond, the oldest goes back early.
 */
final class DeferredRecyclingPool extends ByteBufferPool.Wrapper {
    /** How long a released response buffer is kept out of the pool: far beyond the rest of a call stack. */
    static final long DEFAULT_DELAY_MILLIS = 250;
    /** The most response buffers held back at once (16 MiB with the default 16 KiB response buffers). */
    static final int MAX_HELD = 1024;

    private final IntSupplier responseBufferSize;
    private final long delayNanos;
    private final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger heldCount = new AtomicInteger();

    /**
     * @param wrapped            the pool buffers come from and go back to
     * @param responseBufferSize the size of the client's network buffers (read at each acquisition)
     */
    DeferredRecyclingPool(ByteBufferPool wrapped, IntSupplier responseBufferSize) {
        this(wrapped, responseBufferSize, DEFAULT_DELAY_MILLIS);
    }

    DeferredRecyclingPool(ByteBufferPool wrapped, IntSupplier responseBufferSize, long delayMillis) {
        super(wrapped);
        this.responseBufferSize = responseBufferSize;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    }

    @Override
    public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
        RetainableByteBuffer.Mutable buffer = super.acquire(size, direct);
        if (size != responseBufferSize.getAsInt()) {
            return buffer;
        }
        recycle(System.nanoTime());
        return new Deferred(buffer);
    }

    /** Gives every held buffer back to the wrapped pool, then clears it. */
    @Override
    public void clear() {
        for (Held h; (h = held.poll()) != null; ) {
            heldCount.decrementAndGet();
            h.buffer.release();
        }
        super.clear();
    }

    /** The number of released response buffers not yet given back. */
    int held() {
        return heldCount.get();
    }

    private void hold(RetainableByteBuffer buffer) {
        long now = System.nanoTime();
        held.add(new Held(buffer, now));
        heldCount.incrementAndGet();
        recycle(now);
    }

    /** Gives back the buffers held long enough, and the oldest beyond {@link #MAX_HELD}. */
    private void recycle(long now) {
        for (Held h; (h = held.peek()) != null; ) {
            if (now - h.releasedAt < delayNanos && heldCount.get() <= MAX_HELD) {
                return;
            }
            if (held.remove(h)) {
                heldCount.decrementAndGet();
                h.buffer.release();
            }
        }
    }

    private record Held(RetainableByteBuffer buffer, long releasedAt) {
    }

    /** A response buffer as lent to the client: its last release hands it to {@link #hold}, not to the wrapped pool. */
    private final class Deferred extends Counted {
        Deferred(RetainableByteBuffer.Mutable wrapped) {
            super(wrapped);
        }

        @Override
        protected void lastReleased() {
            hold(getWrapped());
        }
    }

    /**
     * A pooled buffer that counts its own references, so that a pool wrapper decides what its last release
     * does (the wrapped buffer keeps its single reference until then). Slices hold a reference of this buffer
     * (the wrapped buffer's own slices would bypass the count). A release after the last, or a retain after
     * it, throws {@link IllegalStateException}.
     */
    abstract static class Counted extends RetainableByteBuffer.Wrapper {
        private final AtomicInteger references = new AtomicInteger(1);

        Counted(RetainableByteBuffer.Mutable wrapped) {
            super(wrapped);
        }

        /** The last reference was released. */
        protected abstract void lastReleased();

        @Override
        public boolean canRetain() {
            return true;
        }

        @Override
        public int getRetained() {
            return references.get();
        }

        @Override
        public boolean isRetained() {
            return references.get() > 1;
        }

        @Override
        public void retain() {
            if (references.getAndUpdate(r -> r <= 0 ? r : r + 1) <= 0) {
                throw new IllegalStateException("retained after its last release: " + this);
            }
        }

        @Override
        public boolean release() {
            int left = references.decrementAndGet();
            if (left < 0) {
                throw new IllegalStateException("released more often than retained: " + this);
            }
            if (left > 0) {
                return false;
            }
            lastReleased();
            return true;
        }

        @Override
        public RetainableByteBuffer slice() {
            return view(getByteBuffer().slice());
        }

        @Override
        public RetainableByteBuffer slice(long length) {
            ByteBuffer view = getByteBuffer().slice();
            view.limit((int) Math.min(view.limit(), Math.max(0, length)));
            return view(view);
        }

        private RetainableByteBuffer view(ByteBuffer view) {
            retain();
            return RetainableByteBuffer.wrap(view, this);
        }
    }
}
