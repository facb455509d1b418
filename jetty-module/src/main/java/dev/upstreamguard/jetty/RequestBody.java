package dev.upstreamguard.jetty;

import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.ContentSourceRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The client's request body as the attempts of one request see it:
 * <ul>
 *   <li>none: a {@code Content-Length} of 0; in HTTP/1.x no {@code Content-Length} and no
 *       {@code Transfer-Encoding} (RFC 9112 §6.3); in HTTP/2 and HTTP/3, which need neither, a request whose
 *       content ends where it begins ({@code END_STREAM} on the {@code HEADERS} frame, RFC 9113 §8.1):
 *       replayable;</li>
 *   <li>buffered: a {@code Content-Length} up to {@code retry.max-replayable-body}, read completely before
 *       the first attempt (without blocking), or a body of unknown length that had fully arrived, within that
 *       size, when the request was prepared; sent again from memory by every attempt: replayable;</li>
 *   <li>streamed: larger, of unknown length (chunked, or HTTP/2 and HTTP/3 without {@code Content-Length}),
 *       or {@code Expect: 100-continue} (the upstream decides whether the client sends it): relayed as it
 *       arrives, not replayable. An attempt that never read a byte of it (connect refused, name not resolved)
 *       leaves it untouched, so the next attempt can still send it; once read, it can be sent only once.</li>
 * </ul>
 */
final class RequestBody {
    private static final RequestBody NONE = new RequestBody(null, null, false, false, null);
    /** No body, already prepared: shared (nobody completes it; dependents of a completed future are not kept). */
    private static final CompletableFuture<RequestBody> NO_BODY = CompletableFuture.completedFuture(NONE);

    private final ByteBuffer buffered;
    private final String contentType;
    private final boolean streamed;
    /** A body that has neither {@code Content-Length} nor {@code Transfer-Encoding} (HTTP/2 and HTTP/3). */
    private final boolean unframed;
    /** The first chunk of a streamed body, read when the body was prepared and not yet relayed. */
    private final AtomicReference<Content.Chunk> firstChunk;
    private volatile boolean touched;

    private RequestBody(ByteBuffer buffered, String contentType, boolean streamed, boolean unframed,
                        Content.Chunk firstChunk) {
        this.buffered = buffered;
        this.contentType = contentType;
        this.streamed = streamed;
        this.unframed = unframed;
        this.firstChunk = new AtomicReference<>(firstChunk);
    }

    /** Reads a small body into memory, or decides to stream it; completes exceptionally when the client fails it. */
    static CompletableFuture<RequestBody> prepare(Request request, int maxReplayableBytes) {
        long length = request.getLength();
        if (length == 0) {
            return NO_BODY;
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        boolean chunked = request.getHeaders().get(HttpHeader.TRANSFER_ENCODING) != null;
        if (length < 0 && !chunked) {
            HttpVersion version = request.getConnectionMetaData().getHttpVersion();
            if (version == null || version.getVersion() < HttpVersion.HTTP_2.getVersion()) {
                return NO_BODY; // HTTP/1.x: no framing, no body
            }
            return unframed(request, contentType, maxReplayableBytes);
        }
        boolean expectsContinue = HttpHeaderValue.CONTINUE.is(request.getHeaders().get(HttpHeader.EXPECT));
        if (length < 0 || length > maxReplayableBytes || expectsContinue) {
            return CompletableFuture.completedFuture(new RequestBody(null, null, true, false, null));
        }
        return Content.Source.asByteBufferAsync(request, (int) length)
                .thenApply(bytes -> new RequestBody(bytes, contentType, false, false, null));
    }

    /**
     * An HTTP/2 or HTTP/3 request without {@code Content-Length}: only the content itself tells whether there
     * is a body. One non-blocking read: the end at once means none; a whole body within the limit is buffered;
     * anything else (nothing arrived yet, or more to come) is streamed, starting with what was read.
     */
    private static CompletableFuture<RequestBody> unframed(Request request, String contentType, int maxReplayableBytes) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
            return CompletableFuture.completedFuture(new RequestBody(null, null, true, true, null));
        }
        if (Content.Chunk.isFailure(chunk)) {
            return CompletableFuture.failedFuture(chunk.getFailure());
        }
        ByteBuffer bytes = ByteBuffer.allocate(chunk.remaining());
        bytes.put(chunk.getByteBuffer()).flip(); // a copy: the chunk's pooled buffer is released at once
        boolean last = chunk.isLast();
        chunk.release();
        if (last && !bytes.hasRemaining()) {
            return NO_BODY;
        }
        if (last && bytes.remaining() <= maxReplayableBytes) {
            return CompletableFuture.completedFuture(new RequestBody(bytes, contentType, false, true, null));
        }
        return CompletableFuture.completedFuture(new RequestBody(null, null, true, true, Content.Chunk.from(bytes, last)));
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
     * Gives an attempt the body of a request without {@code Content-Length} or {@code Transfer-Encoding}
     * (HTTP/2, HTTP/3): Jetty's {@code ProxyHandler} relays a body only when one of those fields announces it.
     */
    void relayUnframed(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        if (unframed) {
            proxyToServerRequest.body(content(() -> new ContentSourceRequestContent(clientToProxyRequest,
                    clientToProxyRequest.getHeaders().get(HttpHeader.CONTENT_TYPE))));
        }
    }

    /**
     * A streamed body that records whether it was read, that first gives the chunk read while preparing, and
     * that does not fail the client's body when an attempt failed before reading any of it (Jetty's client
     * fails the content of every failed request).
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
            Content.Chunk first = firstChunk.getAndSet(null);
            return first != null ? first : relay.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            if (firstChunk.get() != null) {
                demandCallback.run();
            } else {
                relay.demand(demandCallback);
            }
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
