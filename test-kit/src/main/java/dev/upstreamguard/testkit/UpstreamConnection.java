package dev.upstreamguard.testkit;

import dev.upstreamguard.testkit.ResponseScript.Ending;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/** Serves the requests of one accepted connection, each with the script of the fault its path names. */
final class UpstreamConnection implements Runnable {
    /** How long a reset after response bytes waits, so that the client has read them (see the RST ending). */
    static final long RST_AFTER_DATA_PAUSE_MILLIS = 150;

    /** How long a FIN-ending exchange waits for the client's own close before closing anyway. */
    private static final int FIN_GRACE_MILLIS = 5_000;

    private final Socket socket;
    private final Duration trickleInterval;
    private final Consumer<Fault> requestRecorder;
    private final Runnable onEnd;

    UpstreamConnection(Socket socket, Duration trickleInterval, Consumer<Fault> requestRecorder, Runnable onEnd) {
        this.socket = socket;
        this.trickleInterval = trickleInterval;
        this.requestRecorder = requestRecorder;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (IOException | RuntimeException connectionGone) {
            // the client went away or the upstream was closed: nothing to report
        } catch (InterruptedException shutdown) {
            Thread.currentThread().interrupt();
        } finally {
            MisbehavingUpstream.closeQuietly(socket);
            onEnd.run();
        }
    }

    private void serve() throws IOException, InterruptedException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        while (true) {
            RequestHead request;
            try {
                request = RequestHead.read(in);
                if (request == null) {
                    return;
                }
                request.discardBody(in);
            } catch (RequestHead.MalformedRequestException e) {
                play(FaultScripts.badRequest(), out);
                endWithFin(in);
                return;
            }
            Optional<Fault> fault = Arrays.stream(Fault.values()).filter(f -> f.matches(request.target())).findFirst();
            fault.ifPresent(requestRecorder);
            ResponseScript script = fault.map(f -> FaultScripts.forFault(f, trickleInterval))
                    .orElseGet(FaultScripts::notFound);
            play(script, out);
            Ending ending = script.ending() == Ending.KEEP_ALIVE && request.wantsClose() ? Ending.FIN : script.ending();
            switch (ending) {
                case KEEP_ALIVE -> { }
                case FIN -> {
                    endWithFin(in);
                    return;
                }
                case RST -> {
                    if (!script.pieces().isEmpty()) {
                        // a RST makes the receiving kernel drop what its reader has not taken yet: give the
                        // client time to read the bytes sent, so that what it sees is the reset mid-response
                        Thread.sleep(RST_AFTER_DATA_PAUSE_MILLIS);
                    }
                    socket.setSoLinger(true, 0);
                    socket.close();
                    return;
                }
                case HOLD -> {
                    drainUntilClientCloses(in);
                    return;
                }
            }
        }
    }

    private void play(ResponseScript script, OutputStream out) throws IOException, InterruptedException {
        long pauseMillis = script.pauseBeforeEachPiece().toMillis();
        for (byte[] piece : script.pieces()) {
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
            out.write(piece);
            out.flush();
        }
    }

    /**
     * Sends our FIN, then waits (bounded) for the client to close its side before closing the socket:
     * closing with unread bytes in the receive buffer would make the kernel send an RST instead.
     */
    private void endWithFin(InputStream in) throws IOException {
        socket.shutdownOutput();
        socket.setSoTimeout(FIN_GRACE_MILLIS);
        drainUntilClientCloses(in);
    }

    private static void drainUntilClientCloses(InputStream in) throws IOException {
        byte[] discard = new byte[4096];
        while (in.read(discard) >= 0) {
            // whatever else the client sends is ignored
        }
    }
}
