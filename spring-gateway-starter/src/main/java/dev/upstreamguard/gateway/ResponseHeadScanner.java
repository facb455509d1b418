package dev.upstreamguard.gateway;

import dev.upstreamguard.core.HttpChars;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamFailureException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

/**
 * Before Netty's HTTP decoder on an HTTP/1.1 upstream connection: reads the raw bytes of each response head
 * for the two things the decoder rewrites before the guard's validator could see them — a field name that
 * is not a token (the decoder cuts {@code Bad Header: x} to {@code Bad: x} and drops whitespace before the
 * colon) and obs-fold (unfolded into one space). A name that is not a token (RFC 9110 §5.1, RFC 9112 §5.1),
 * a field line without a colon, or a fold the policy's {@code validation.obs-fold} does not repair
 * (RFC 9112 §5.2) fails the attempt with the core's verdict for it ({@code http_protocol_error}, the same
 * rejection the validator gives such a head) and closes the connection, so it never goes back to the pool.
 *
 * <p>Each request arms the scanner with its attempt ({@link #expectResponse}); it then follows the status line
 * and the field lines up to the empty line, across reads, with a small state machine over the bytes (no
 * allocation), goes on to the next head after an interim 1xx, and leaves the body alone until the next
 * request on the connection arms it again (Reactor Netty sends one request at a time on a connection and
 * reuses it only after the response ended). What is not an HTTP/1.x status line is left to the decoder.
 *
 * <p>It also notes that response bytes arrived for the armed attempt (its phase becomes
 * {@link Phase#READ_HEAD} at the first decrypted response byte), so a connection closed after part of the
 * head is told apart from one closed before any response byte — Reactor Netty reports both as "prematurely
 * closed BEFORE response". One instance per connection, used on its event loop only.
 */
final class ResponseHeadScanner extends ChannelInboundHandlerAdapter implements ByteProcessor {
    static final String NAME = "upstream-guard.head-scanner";

    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};
    private static final byte[] CONTENT_LENGTH = {'c', 'o', 'n', 't', 'e', 'n', 't', '-', 'l', 'e', 'n', 'g', 't', 'h'};
    private static final byte[] TRANSFER_ENCODING =
            {'t', 'r', 'a', 'n', 's', 'f', 'e', 'r', '-', 'e', 'n', 'c', 'o', 'd', 'i', 'n', 'g'};

    /** Not in a head: no request, a body, or something the decoder judges alone. */
    private static final int IDLE = 0;
    private static final int STATUS_PREFIX = 1;
    private static final int STATUS_VERSION = 2;
    private static final int STATUS_CODE = 3;
    private static final int STATUS_REST = 4;
    private static final int LINE_START = 5;
    private static final int FIELD_NAME = 6;
    private static final int FIELD_VALUE = 7;
    /** A CR at the start of a line: the head ends at the LF that follows. */
    private static final int END_CR = 8;
    /** A violation was found: the connection is closing and nothing more is read. */
    private static final int FAILED = 9;

    private GuardedAttempt attempt;
    /** Whether a response byte arrived since the attempt was armed (its phase was advanced to the head). */
    private boolean responseBegun;
    private int state = IDLE;
    /** The position in the status line's prefix or code, or the length of the field name so far. */
    private int index;
    private int status;
    /** Whether a field line came before this line in the head (a line starting with whitespace folds it). */
    private boolean afterField;
    /** Whether the current field is Content-Length or Transfer-Encoding. */
    private boolean framingField;
    private boolean maybeContentLength;
    private boolean maybeTransferEncoding;
    private UpstreamFailure violation;

    /** Installs a scanner on a new HTTP/1.1 connection, just before the HTTP codec; once. */
    static void install(Channel channel) {
        if (channel.pipeline().get(NAME) == null && channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
            channel.pipeline().addBefore(NettyPipeline.HttpCodec, NAME, new ResponseHeadScanner());
        }
    }

    /**
     * A request of {@code attempt} is about to go out on {@code channel}: the next bytes are its response.
     * With no attempt (the guard is off for the exchange) the heads on the connection are not scanned, and no
     * earlier attempt is credited with them.
     */
    static void expectResponse(Channel channel, GuardedAttempt attempt) {
        ChannelHandler handler = channel.pipeline().get(NAME);
        if (handler instanceof ResponseHeadScanner scanner) {
            if (channel.eventLoop().inEventLoop()) {
                scanner.arm(attempt);
            } else {
                channel.eventLoop().execute(() -> scanner.arm(attempt)); // before the request's own writes
            }
        }
    }

    private void arm(GuardedAttempt next) {
        if (state == FAILED) {
            return;
        }
        attempt = next;
        responseBegun = false;
        state = next == null ? IDLE : STATUS_PREFIX;
        index = 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == FAILED) {
            ReferenceCountUtil.release(msg); // the connection is closing: nothing after the bad line is read
            return;
        }
        if (attempt != null && msg instanceof ByteBuf buf && buf.isReadable()) {
            if (!responseBegun) {
                responseBegun = true;
                attempt.advance(Phase.READ_HEAD); // never moves back from READ_BODY
            }
            if (state != IDLE) {
                scan(buf);
            }
            if (state == FAILED) {
                ReferenceCountUtil.release(msg);
                ctx.fireExceptionCaught(new UpstreamFailureException(violation));
                ctx.close();
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Scans a read's bytes until the head ends, a violation, or the end of the read. */
    private void scan(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end && state != IDLE && state != FAILED) {
            if (state == STATUS_REST || state == FIELD_VALUE) {
                int lf = buf.indexOf(i, end, (byte) '\n'); // the rest of the line, most of a head's bytes, at once
                if (lf < 0) {
                    return;
                }
                state = LINE_START;
                i = lf + 1;
            } else {
                i = buf.forEachByte(i, end - i, this); // -1 at the end of the read, else the byte it stopped on
                if (i < 0) {
                    return;
                }
                if (state == STATUS_REST || state == FIELD_VALUE) {
                    i++; // forEachByte stopped on the byte that began the line's rest: already judged
                }
            }
        }
    }

    /**
     * One byte of a head; {@code false} stops the scan of this read: the head ended, a violation, or the rest
     * of a line began (which {@link #scan} skips to its LF at once).
     */
    @Override
    public boolean process(byte value) {
        int b = value & 0xFF;
        switch (state) {
            case STATUS_PREFIX:
                return statusPrefix(b);
            case STATUS_VERSION:
                if (b == ' ') {
                    state = STATUS_CODE;
                    index = 0;
                    status = 0;
                    return true;
                }
                return b != '\n' || leave();
            case STATUS_CODE:
                return statusCode(b);
            case LINE_START:
                return lineStart(b);
            case FIELD_NAME:
                return fieldName(b);
            case END_CR:
                return b == '\n' ? headEnded() : leave();
            default:
                return false;
        }
    }

    private boolean statusPrefix(int b) {
        if (index == 0 && (b == '\r' || b == '\n')) {
            return true; // empty lines before the status line, which the decoder skips too
        }
        if (b != HTTP_SLASH[index]) {
            return leave(); // not an HTTP/1.x status line: the decoder rejects it
        }
        if (++index == HTTP_SLASH.length) {
            state = STATUS_VERSION;
        }
        return true;
    }

    private boolean statusCode(int b) {
        if (index < 3 && b >= '0' && b <= '9') {
            status = status * 10 + b - '0';
            index++;
            return true;
        }
        if (index < 3) {
            return leave(); // not a status code: the decoder rejects it
        }
        afterField = false;
        if (b == '\n') {
            state = LINE_START;
            return true;
        }
        state = STATUS_REST; // the reason phrase is the decoder's and the validator's to judge
        return false;
    }

    private boolean lineStart(int b) {
        if (b == '\r') {
            state = END_CR;
            return true;
        }
        if (b == '\n') {
            return headEnded();
        }
        if (HttpChars.isWhitespace((char) b)) {
            // a fold continues the field before it; before the first field there is nothing to continue
            UpstreamFailure failure = afterField ? attempt.guard().obsFold(framingField)
                    : attempt.guard().invalidFieldName();
            if (failure != null) {
                return fail(failure);
            }
            state = FIELD_VALUE; // the policy repairs folds: the decoder's unfolding into a space is that repair
            return false;
        }
        state = FIELD_NAME;
        index = 0;
        maybeContentLength = true;
        maybeTransferEncoding = true;
        return fieldName(b);
    }

    private boolean fieldName(int b) {
        if (b == ':' && index > 0) {
            framingField = maybeContentLength && index == CONTENT_LENGTH.length
                    || maybeTransferEncoding && index == TRANSFER_ENCODING.length;
            afterField = true;
            state = FIELD_VALUE; // the value is the decoder's and the validator's to judge
            return false;
        }
        if (!HttpChars.isTchar((char) b)) {
            return fail(attempt.guard().invalidFieldName()); // a space, a delimiter, CR or LF (no colon), or an empty name
        }
        int lower = b | 0x20; // ASCII letters to lower case; the other tchars never become a letter or '-'
        maybeContentLength = maybeContentLength && index < CONTENT_LENGTH.length && lower == CONTENT_LENGTH[index];
        maybeTransferEncoding = maybeTransferEncoding && index < TRANSFER_ENCODING.length
                && lower == TRANSFER_ENCODING[index];
        index++;
        return true;
    }

    /** The empty line: an interim response (but 101) is followed by another head, anything else by its body. */
    private boolean headEnded() {
        if (status >= 100 && status < 200 && status != 101) {
            state = STATUS_PREFIX;
            index = 0;
            return true;
        }
        return leave();
    }

    private boolean leave() {
        state = IDLE;
        return false;
    }

    private boolean fail(UpstreamFailure failure) {
        violation = failure;
        state = FAILED;
        return false;
    }
}
