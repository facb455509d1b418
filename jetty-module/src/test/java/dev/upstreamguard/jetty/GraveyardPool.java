package dev.upstreamguard.jetty;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A buffer pool for tests that never reuses a buffer, so that any use of a buffer after its last release is
 * seen deterministically: it counts the references of every buffer it hands out; at the last release it
 * fills the buffer with {@link #POISON} and sets its position and limit to its capacity, then keeps it in a
 * graveyard instead of pooling it. A graveyard buffer whose position, limit or bytes changed was written
 * after its release (by a reader that still held it, or by a stale reference); a second release is
 * recorded; buffers handed out and never released are the leaks.
 */
final class GraveyardPool extends ByteBufferPool.Wrapper {
    static final byte POISON = (byte) 0xA5;

    private final Set<Counted> live = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<ByteBuffer> graveyard = new ConcurrentLinkedQueue<>();
    private final List<String> overReleases = new CopyOnWriteArrayList<>();

    GraveyardPool() {
        super(new ArrayByteBufferPool());
    }

    @Override
    public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
        Counted buffer = new Counted(super.acquire(size, direct));
        live.add(buffer);
        return buffer;
    }

    /** How many buffers were released (and buried). */
    int buried() {
        return graveyard.size();
    }

    /** The released buffers written afterwards, described. */
    List<String> writtenAfterRelease() {
        List<String> written = new ArrayList<>();
        for (ByteBuffer b : graveyard) {
            ByteBuffer all = b.duplicate().clear();
            boolean poisoned = true;
            while (all.hasRemaining() && poisoned) {
                poisoned = all.get() == POISON;
            }
            if (b.position() != b.capacity() || b.limit() != b.capacity() || !poisoned) {
                written.add(b + (poisoned ? "" : " (bytes overwritten)"));
            }
        }
        return written;
    }

    /** Releases of buffers already released, with the releasing thread's stack. */
    List<String> overReleases() {
        return List.copyOf(overReleases);
    }

    /** How many buffers are handed out and not released. */
    int leaks() {
        return live.size();
    }

    private final class Counted extends DeferredRecyclingPool.Counted {
        Counted(RetainableByteBuffer.Mutable wrapped) {
            super(wrapped);
        }

        @Override
        public void retain() {
            try {
                super.retain();
            } catch (IllegalStateException e) {
                overReleases.add("retain after the last release: " + stack());
                throw e;
            }
        }

        @Override
        public boolean release() {
            try {
                return super.release();
            } catch (IllegalStateException e) {
                overReleases.add("release after the last release: " + stack());
                throw e;
            }
        }

        @Override
        protected void lastReleased() {
            ByteBuffer buffer = getWrapped().getByteBuffer();
            ByteBuffer all = buffer.duplicate().clear();
            while (all.hasRemaining()) {
                all.put(POISON);
            }
            buffer.limit(buffer.capacity()).position(buffer.capacity());
            live.remove(this);
            graveyard.add(buffer);
        }

        private static String stack() {
            StringBuilder s = new StringBuilder(Thread.currentThread().getName());
            for (StackTraceElement e : new Throwable().getStackTrace()) {
                s.append("\n\tat ").append(e);
            }
            return s.toString();
        }
    }
}
