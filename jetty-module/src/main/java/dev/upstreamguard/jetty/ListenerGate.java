package dev.upstreamguard.jetty;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Holds the response-listener calls that follow an upstream head while the retry decision about that head
 * is pending (the retry budget may live on a remote backend), and runs them in order once it is made.
 * Open, every call runs at once on the caller's thread; nothing blocks. The queue is made only when a call
 * arrives while held: the proxy holds every response head while the core decides about it, and for the
 * common head (a 200, decided at once) nothing arrives meanwhile, so that request allocates no queue.
 */
final class ListenerGate {
    private Queue<Runnable> held;
    private boolean open = true;

    /** Holds later calls until {@link #release()}. */
    synchronized void hold() {
        open = false;
    }

    /**
     * Whether calls run at once. Only {@link #hold()} closes the gate, and the response listener calls it
     * from {@code onHeaders}, before any later call of the same response: a caller that sees {@code true}
     * may run its call itself without building a {@code Runnable} for {@link #submit}.
     */
    synchronized boolean isOpen() {
        return open;
    }

    /** Runs {@code call} now when open, else after {@link #release()}, in submission order. */
    void submit(Runnable call) {
        synchronized (this) {
            if (!open) {
                if (held == null) {
                    held = new ArrayDeque<>();
                }
                held.add(call);
                return;
            }
        }
        call.run();
    }

    /** Runs the held calls in order (calls submitted meanwhile queue behind them), then opens. */
    void release() {
        for (;;) {
            Runnable next;
            synchronized (this) {
                next = held == null ? null : held.poll();
                if (next == null) {
                    open = true;
                    return;
                }
            }
            next.run();
        }
    }
}
