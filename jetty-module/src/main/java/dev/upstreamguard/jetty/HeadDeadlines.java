package dev.upstreamguard.jetty;

import org.eclipse.jetty.io.CyclicTimeouts;
import org.eclipse.jetty.util.thread.Scheduler;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The response-head deadlines of every attempt in flight, on one timer: the timer is set for the earliest
 * deadline only, so arming a deadline later than that one schedules nothing, and a head that arrives in
 * time costs a set insertion and removal instead of a scheduler task armed and cancelled per request.
 * When the timer fires, every attempt past its deadline is aborted ({@link UpstreamAttempt#headDeadlineExpired()})
 * and the timer is set for the next earliest.
 */
final class HeadDeadlines extends CyclicTimeouts<UpstreamAttempt> {
    private final Set<UpstreamAttempt> armed = ConcurrentHashMap.newKeySet();

    HeadDeadlines(Scheduler scheduler) {
        super(scheduler);
    }

    /** Starts the deadline of {@code attempt}, {@code timeoutMillis} from now, aborting {@code proxyToServerRequest}. */
    void arm(UpstreamAttempt attempt, org.eclipse.jetty.client.Request proxyToServerRequest, long timeoutMillis) {
        if (attempt.armHeadDeadline(proxyToServerRequest, timeoutMillis)) {
            armed.add(attempt);
            if (attempt.headDeadlineArmed()) {
                schedule(attempt);
            } else {
                armed.remove(attempt); // cancelled meanwhile
            }
        }
    }

    /** Stops the deadline of {@code attempt}: its head arrived or it ended. */
    void disarm(UpstreamAttempt attempt) {
        attempt.cancelHeadDeadline();
        armed.remove(attempt);
    }

    @Override
    protected Iterator<UpstreamAttempt> iterator() {
        return armed.iterator();
    }

    @Override
    protected boolean onExpired(UpstreamAttempt attempt) {
        attempt.headDeadlineExpired();
        return true;
    }
}
