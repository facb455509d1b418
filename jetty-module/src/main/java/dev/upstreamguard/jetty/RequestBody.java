package dev.upstreamguard.jetty;

import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The client's request body as the attempts of one request see it:
 * <ul>
 *   <li>none (no {@code Content-Length}, or 0, and no {@code Transfer-Encoding}): replayable;</li>
 *   <li>buffered: a {@code Content-Length} up to {@code retry.max-replayable-body}, read completely before
 *       the first attempt (without blocking) and sent again from memory by every attempt: replayable;</li>
 *   <li>streamed: larger, of unknown length (chunked), or {@code Expect: 100-continue} (the upstream decides
 *       whether the client sends it): relayed as it arrives, not replayable. An attempt that never read a
 *       byte of it (connect refused, name not resolved) leaves it untouched, so the next attempt can still
 *       send it; once read, it can be sent only once.</li>
 * </ul>
 */
final class RequestBody {
    private static final RequestBody NONE = new RequestBody(null, null, false);

    private final ByteBuffer buffered;
    private final String contentType;
    private final boolean streamed;
    private volatile boolean touched;

    private RequestBody(ByteBuffer buffered, String contentType, boolean streamed) {
        this.buffered = buffered;
        this.contentType = contentType;
        this.streamed = streamed;
    }

    /** Reads a small body into memory, or decides to stream it; completes exceptionally when the client fails it. */
    static CompletableFuture<RequestBody> prepare(Request request, int maxReplayableBytes) {
        long length = request.getLength();
        boolean chunked = request.getHeaders().get(HttpHeader.TRANSFER_ENCODING) != null;
        if (length == 0 || (length < 0 && !chunked)) {
            return CompletableFuture.completedFuture(NONE);
        }
        boolean expectsContinue = HttpHeaderValue.CONTINUE.is(request.getHeaders().get(HttpHeader.EXPECT));
        if (length < 0 || length > maxReplayableBytes || expectsContinue) {
            return CompletableFuture.completedFuture(new RequestBody(null, null, true));
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return Content.Source.asByteBufferAsync(request, (int) length)
                .thenApply(bytes -> new RequestBody(bytes, contentType, false));
    }

    /** Whether every attempt can send the whole body again. */
    boolean replayable() {
        return !streamed;
    }

    /** Whether another attempt can still send the body: it is replayable, or streamed and not read yet. */
    boolean resendable() {
        return !streamed || !touched;
    }

    /**
     * The content for one attempt; {@code streaming} makes the relay of the client's body (called only for
     * a streamed body).
     */
    org.eclipse.jetty.client.Request.Content content(Supplier<org.eclipse.jetty.client.Request.Content> streaming) {
        if (streamed) {
            return new UntilRead(streaming.get());
        }
        return new ByteBufferRequestContent(contentType, buffered == null ? ByteBuffer.allocate(0) : buffered.slice());
    }

    /**
     * A streamed body that records whether it was read, and that does not fail the client's body when an
     * attempt failed before reading any of it (Jetty's client fails the content of every failed request).
     */
    private final class UntilRead implements org.eclipse.jetty.client.Request.Content {
        private final org.eclipse.jetty.client.Request.Content relay;

        UntilRead(org.eclipse.jetty.client.Request.Content relay) {
            this.relay = relay;
        }

        @Override
        public String getContentType() {
            return relay.getContentType();
        }

        @Override
        public long getLength() {
            return relay.getLength();
        }

        @Override
        public Content.Chunk read() {
            touched = true;
            return relay.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            relay.demand(demandCallback);
        }

        @Override
        public void fail(Throwable failure) {
            if (touched) {
                relay.fail(failure);
            }
        }

        @Override
        public void fail(Throwable failure, boolean last) {
            if (touched) {
                relay.fail(failure, last);
            }
        }

        @Override
        public boolean rewind() {
            return false;
        }
    }
}
