package dev.upstreamguard.jetty;

import dev.upstreamguard.core.HopByHop;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.lifecycle.Verdict;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

import java.util.function.UnaryOperator;

/**
 * The response side of one attempt, behind the handler's response listener: gives the upstream's head to the
 * core's exchange before anything is committed and writes its verdict — relay the head, or abort this
 * upstream response (its connection is closed, never pooled) so that the handler's failure hook applies the
 * retry or the answer that replaced it. While the core decides (a retry budget on a remote backend answers
 * later), the body and completion calls that follow wait in a {@link ListenerGate}; a replaced head's body
 * never reaches the client.
 */
final class ResponseRelay {
    private static final ValidationContext HEAD_REQUEST = new ValidationContext(false, true);

    private final Request clientToProxyRequest;
    private final Response proxyToClientResponse;
    private final ProxiedExchange state;
    private final UpstreamAttempt attempt;
    private final HeadDeadlines headDeadlines;
    private final UnaryOperator<HttpField> fieldFilter;
    private final ListenerGate gate = new ListenerGate();

    /**
     * @param fieldFilter the handler's per-field hook for relayed fields; a field it maps to {@code null} is dropped
     */
    ResponseRelay(Request clientToProxyRequest, Response proxyToClientResponse, ProxiedExchange state,
                  UpstreamAttempt attempt, HeadDeadlines headDeadlines, UnaryOperator<HttpField> fieldFilter) {
        this.clientToProxyRequest = clientToProxyRequest;
        this.proxyToClientResponse = proxyToClientResponse;
        this.state = state;
        this.attempt = attempt;
        this.headDeadlines = headDeadlines;
        this.fieldFilter = fieldFilter;
    }

    /** The head arrived. */
    void onHeaders(org.eclipse.jetty.client.Response serverToProxyResponse) {
        headDeadlines.disarm(attempt);
        JettyResponseHead head = JettyResponseHead.of(serverToProxyResponse);
        HttpFields received = serverToProxyResponse.getHeaders();
        gate.hold();
        state.exchange().onHead(head, HttpMethod.HEAD.is(clientToProxyRequest.getMethod()) ? HEAD_REQUEST
                                : ValidationContext.DEFAULT, received.getValuesList(UpstreamGuard.PROXY_STATUS),
                        received.get(HttpHeader.RETRY_AFTER))
                .whenComplete((verdict, never) -> {
                    try {
                        if (verdict instanceof Verdict.Relay relay) {
                            relay(serverToProxyResponse, relay, head);
                        } else {
                            attempt.replacedBy(verdict);
                            serverToProxyResponse.abort(new HeadReplaced());
                        }
                    } catch (RuntimeException e) {
                        serverToProxyResponse.abort(e);
                    } finally {
                        gate.release();
                    }
                });
    }

    private void relay(org.eclipse.jetty.client.Response serverToProxyResponse, Verdict.Relay relay,
                       JettyResponseHead head) {
        HttpFields received = serverToProxyResponse.getHeaders();
        int status = serverToProxyResponse.getStatus();
        attempt.chunkedResponse(received.contains(HttpHeader.TRANSFER_ENCODING, "chunked"));
        proxyToClientResponse.setStatus(status);
        JettyResponses.relayHead(proxyToClientResponse, received, relay, HopByHop.connectionOptions(head),
                state.exchange().responseFields(), bodyDelimitedByClose(status, received), fieldFilter);
    }

    private boolean bodyDelimitedByClose(int status, HttpFields received) {
        return status >= 200 && status != 204 && status != 304
                && !HttpMethod.HEAD.is(clientToProxyRequest.getMethod())
                && clientToProxyRequest.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1
                && !received.contains(HttpHeader.CONTENT_LENGTH);
    }

    /** Relays a body chunk, remembering when the write to the client fails (the client went away). */
    void onContent(org.eclipse.jetty.client.Response serverToProxyResponse, Content.Chunk chunk,
                          Runnable demander) {
        chunk.retain();
        if (gate.isOpen()) {
            relayContent(serverToProxyResponse, chunk, demander);
        } else {
            gate.submit(() -> relayContent(serverToProxyResponse, chunk, demander));
        }
    }

    private void relayContent(org.eclipse.jetty.client.Response serverToProxyResponse, Content.Chunk chunk,
                              Runnable demander) {
        if (attempt.replacement() != null) {
            chunk.release();
            return;
        }
        proxyToClientResponse.write(false, chunk.getByteBuffer(), Callback.from(Invocable.InvocationType.NON_BLOCKING,
                () -> {
                    chunk.release();
                    demander.run();
                },
                failure -> {
                    chunk.release();
                    attempt.clientWriteFailed();
                    serverToProxyResponse.abort(failure);
                }));
    }

    /** The body ended: {@code complete} ends the client response, unless the head was replaced. */
    void onSuccess(Runnable complete) {
        gate.submit(() -> {
            if (attempt.replacement() == null) {
                complete.run();
            }
        });
    }

    /** The upstream exchange is over: {@code complete} hands it to the handler (success or failure hook). */
    void onComplete(Runnable complete) {
        gate.submit(() -> {
            headDeadlines.disarm(attempt);
            complete.run();
        });
    }

    /** Thrown into an upstream response whose head the core replaced, so that none of it reaches the client. */
    private static final class HeadReplaced extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeadReplaced() {
            super("upstream response head not relayed", null, false, false);
        }
    }
}
