package dev.upstreamguard.core.classify;

/**
 * Netty's {@code HttpObjectDecoder} does not throw its own types for a malformed head: it stores the
 * raw {@code IllegalArgumentException} (bad header value, "Multiple Content-Length values") or
 * {@code NumberFormatException} (bad status code, bad chunk size) in the message's decoder result, and
 * Reactor Netty hands exactly that to the caller. The only signal that such an exception is about the
 * upstream's bytes rather than a bug is where it was thrown, so this looks at the top stack frames.
 */
final class NettyDecoderOrigin {

    /** How many frames from the top are looked at; the decoder is within a few calls of the throw. */
    static final int FRAMES = 16;

    private static final String HTTP_CODEC_PACKAGE = "io.netty.handler.codec.http.";
    private static final String CHUNK_SIZE_METHOD = "getChunkSize";

    private NettyDecoderOrigin() {
    }

    /** Where in Netty's HTTP codec the throwable was raised, if it was. */
    static Origin of(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < frames.length && i < FRAMES; i++) {
            if (frames[i].getClassName().startsWith(HTTP_CODEC_PACKAGE)) {
                return CHUNK_SIZE_METHOD.equals(frames[i].getMethodName()) ? Origin.CHUNK_SIZE : Origin.HEAD;
            }
        }
        return Origin.ELSEWHERE;
    }

    /** The part of the decoder an exception came from. */
    enum Origin { HEAD, CHUNK_SIZE, ELSEWHERE }
}
