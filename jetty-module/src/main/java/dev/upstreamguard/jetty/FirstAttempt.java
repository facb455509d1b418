package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.Verdict;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One request from its admission verdict to its first attempt: refused requests are answered, admitted ones
 * get their body prepared (buffered when it may be replayed) and the core's first {@link Verdict}. One object
 * per request instead of a lambda per step, since it runs for every request.
 */
final class FirstAttempt implements BiConsumer<Verdict, Throwable> {
    private final GuardedProxyHandler handler;
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final ProxiedExchange state;

    FirstAttempt(GuardedProxyHandler handler, Request request, Response response, Callback callback,
                 ProxiedExchange state) {
        this.handler = handler;
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.state = state;
    }

    @Override
    public void accept(Verdict verdict, Throwable never) {
        try {
            admitted(verdict);
        } catch (RuntimeException e) {
            handler.failed(response, callback, state, e);
        }
    }

    private void admitted(Verdict verdict) {
        if (!(verdict instanceof Verdict.Admitted)) {
            handler.apply(verdict, request, response, callback, state);
            return;
        }
        int maxBody = state.exchange().route().policy().retry().maxReplayableBodyBytes();
        CompletableFuture<RequestBody> prepared = RequestBody.prepare(request, maxBody);
        if (prepared.isDone() && !prepared.isCompletedExceptionally()) {
            bodyPrepared(prepared.join()); // no body, or one to stream
            return;
        }
        prepared.whenComplete((body, bodyFailure) -> {
            if (bodyFailure != null) {
                callback.failed(bodyFailure); // the client failed to send its body: nothing to tell it
                return;
            }
            try {
                bodyPrepared(body);
            } catch (RuntimeException e) {
                handler.failed(response, callback, state, e);
            }
        });
    }

    /** The body is ready (in memory, or to be streamed): the first attempt. */
    private void bodyPrepared(RequestBody body) {
        state.body(body);
        state.exchange().body(body.replayable());
        handler.apply(state.exchange().nextAttempt(), request, response, callback, state);
    }
}
