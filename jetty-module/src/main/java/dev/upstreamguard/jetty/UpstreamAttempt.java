package dev.upstreamguard.jetty;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.Verdict;
import dev.upstreamguard.core.Phase;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.CyclicTimeouts;
import org.eclipse.jetty.util.URIUtil;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One attempt of a proxied request on one upstream, as the core chose it ({@link Verdict.SendTo}), with what
 * only the Jetty client's callbacks know: its response-head deadline (on the handler's shared timer), whether
 * the response is chunked, whether writing to the client failed, and the verdict that replaced its head.
 * Listeners of an attempt hold on to their own instance, so a late callback of an earlier attempt never
 * changes the state of the next.
 */
final class UpstreamAttempt implements CyclicTimeouts.Expirable {
    private static final int DEADLINE_UNSET = 0;
    private static final int DEADLINE_ARMED = 1;
    private static final int DEADLINE_DONE = 2;

    private final GuardedExchange exchange;
    private final Verdict.SendTo send;
    private volatile boolean chunkedResponse;
    private final AtomicInteger deadlineState = new AtomicInteger(DEADLINE_UNSET);
    private volatile long headExpireNanoTime = Long.MAX_VALUE;
    private volatile long headTimeoutMillis;
    private volatile org.eclipse.jetty.client.Request headRequest;
    private volatile Verdict replacement;
    private volatile boolean clientWriteFailed;

    UpstreamAttempt(GuardedExchange exchange, Verdict.SendTo send) {
        this.exchange = exchange;
        this.send = send;
    }

    Verdict.SendTo send() {
        return send;
    }

    URI uri() {
        return send.upstream().uri();
    }

    boolean chunkedResponse() {
        return chunkedResponse;
    }

    void chunkedResponse(boolean chunked) {
        chunkedResponse = chunked;
    }

    /**
     * Arms the response-head deadline: {@code timeoutMillis} from now, {@code proxyToServerRequest} is
     * aborted with {@code http_response_timeout} unless {@link #cancelHeadDeadline()} comes first.
     *
     * @return whether it was armed (once per attempt, and not after a cancel)
     */
    boolean armHeadDeadline(org.eclipse.jetty.client.Request proxyToServerRequest, long timeoutMillis) {
        headRequest = proxyToServerRequest;
        headTimeoutMillis = timeoutMillis;
        headExpireNanoTime = CyclicTimeouts.Expirable.calcExpireNanoTime(timeoutMillis);
        return deadlineState.compareAndSet(DEADLINE_UNSET, DEADLINE_ARMED);
    }

    /** Disarms the head deadline (the head arrived, or the attempt ended); later expiry does nothing. */
    void cancelHeadDeadline() {
        if (deadlineState.getAndSet(DEADLINE_DONE) == DEADLINE_ARMED) {
            headExpireNanoTime = Long.MAX_VALUE;
        }
    }

    /** Whether the deadline is still armed (neither cancelled nor expired). */
    boolean headDeadlineArmed() {
        return deadlineState.get() == DEADLINE_ARMED;
    }

    @Override
    public long getExpireNanoTime() {
        return headExpireNanoTime;
    }

    /** The head deadline passed: aborts the attempt's request with {@code http_response_timeout}, unless disarmed. */
    void headDeadlineExpired() {
        if (!deadlineState.compareAndSet(DEADLINE_ARMED, DEADLINE_DONE)) {
            return;
        }
        UpstreamFailure late = new UpstreamFailure(ErrorType.HTTP_RESPONSE_TIMEOUT, exchange.phase(), Map.of(),
                "no complete response head from upstream within " + headTimeoutMillis + " ms", null);
        headRequest.abort(new UpstreamFailureException(late));
    }

    /** The core replaced this attempt's head (a retry, or an answer for a rejected head): none of it is relayed. */
    void replacedBy(Verdict verdict) {
        replacement = verdict;
    }

    /** The verdict that replaced this attempt's head, or {@code null} when the head is relayed. */
    Verdict replacement() {
        return replacement;
    }

    /**
     * Reports the Jetty client's events of this attempt to the core's exchange — request begin (bytes may be on
     * their way), request sent, response begin — and arms the head deadline once the request is sent: the
     * attempt's head timeout, never past the request's end-to-end deadline.
     */
    org.eclipse.jetty.client.Request observe(org.eclipse.jetty.client.Request request, HeadDeadlines deadlines) {
        return request.onRequestBegin(r -> exchange.requestSending())
                .onRequestSuccess(r -> {
                    exchange.requestSent();
                    Duration left = exchange.timeLeft();
                    Duration timeout = left.compareTo(send.headTimeout()) < 0 ? left : send.headTimeout();
                    deadlines.arm(this, r, Math.max(1, timeout.toMillis()));
                })
                .onResponseBegin(r -> exchange.responseBegun());
    }

    /**
     * One fact only the Jetty module knows: a parser failure after a valid head of a chunked response is invalid
     * chunked framing (RFC 9209 §2.3.24), not a head syntax error. {@code null} for any other failure.
     */
    UpstreamFailure chunkedFraming(Throwable failure) {
        if (exchange.phase() != Phase.READ_BODY || !chunkedResponse) {
            return null;
        }
        for (Throwable t = failure, i = null; t != null && t != i; i = t, t = t.getCause()) {
            if (t instanceof HttpException) {
                return new UpstreamFailure(ErrorType.HTTP_RESPONSE_TRANSFER_CODING, Phase.READ_BODY,
                        Map.of("coding", "chunked"), "invalid chunked framing in upstream response", failure);
            }
        }
        return null;
    }

    /** The URI of this attempt's request: the upstream's scheme, host, port and base path, then {@code path} and {@code query}. */
    HttpURI upstreamUri(String path, String query) {
        URI upstream = uri();
        String base = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        int port = upstream.getPort() > 0 ? upstream.getPort() : "https".equalsIgnoreCase(upstream.getScheme()) ? 443 : 80;
        return HttpURI.build().scheme(upstream.getScheme().toLowerCase(Locale.ROOT)).host(upstream.getHost()).port(port)
                .path(base + URIUtil.encodePath(path)).query(query);
    }

    /** Writing this attempt's body to the client failed: the client went away, not the upstream. */
    void clientWriteFailed() {
        clientWriteFailed = true;
    }

    boolean clientGone() {
        return clientWriteFailed;
    }
}
