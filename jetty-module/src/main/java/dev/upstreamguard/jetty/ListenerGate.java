package dev.upstreamguard.jetty;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Holds the response-listener calls that follow an upstream head while the retry decision about that head
 * is pending (the retry budget may live on a remote backend), and runs them in order once it is made.
 * Open, every call runs at once on the caller's thread; nothing blocks.
 */
final class ListenerGate {
    private final Queue<Runnable> held = new ArrayDeque<>();
    private boolean open = true;

    /** Holds later calls until {@link #release()}. */
    synchronized void hold() {
        open = false;
    }

    /** Runs {@code call} now when open, else after {@link #release()}, in submission order. */
    void submit(Runnable call) {
        synchronized (this) {
            if (!open) {
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
                next = held.poll();
                if (next == null) {
                    open = true;
                    return;
                }
            }
            next.run();
        }
    }
}
