package dev.upstreamguard.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Wraps the application's response so the origin-side guard sees the head at the last moment before it
 * could be committed: the first body byte, a flush, {@code sendError}/{@code sendRedirect}, or the end
 * of the filter chain. When the guard rejects the head it writes its own 500 and everything the
 * application does afterwards is discarded.
 */
final class GuardedResponse extends HttpServletResponseWrapper {

    /** Runs once, before the head can be committed; returns true when the response was replaced. */
    interface BeforeCommit {
        boolean check(HttpServletResponse response) throws IOException;
    }

    private final HttpServletResponse delegate;
    private final BeforeCommit beforeCommit;
    private boolean checked;
    private boolean replaced;
    private ServletOutputStream stream;
    private PrintWriter writer;

    GuardedResponse(HttpServletResponse delegate, BeforeCommit beforeCommit) {
        super(delegate);
        this.delegate = delegate;
        this.beforeCommit = beforeCommit;
    }

    /** Runs the check unless it ran, or the response is already committed. */
    void beforeCommit() throws IOException {
        if (checked) {
            return;
        }
        checked = true;
        if (!delegate.isCommitted()) {
            replaced = beforeCommit.check(delegate);
        }
    }

    /** Whether the guard replaced the application's response. */
    boolean replaced() {
        return replaced;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called");
        }
        if (stream == null) {
            stream = new CheckingStream(delegate);
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (stream != null) {
            throw new IllegalStateException("getOutputStream() has already been called");
        }
        if (writer == null) {
            String encoding = delegate.getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            delegate.setCharacterEncoding(charset.name());
            writer = new PrintWriter(new OutputStreamWriter(new CheckingStream(delegate), charset));
        }
        return writer;
    }

    /** Flushes what the application wrote through {@link #getWriter()} (called at the end of the chain). */
    void flushWriter() {
        if (writer != null) {
            writer.flush();
        }
    }

    @Override
    public void flushBuffer() throws IOException {
        beforeCommit();
        if (writer != null) {
            writer.flush();
        }
        if (!replaced) {
            delegate.flushBuffer();
        }
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        beforeCommit();
        if (!replaced) {
            delegate.sendError(sc, msg);
        }
    }

    @Override
    public void sendError(int sc) throws IOException {
        beforeCommit();
        if (!replaced) {
            delegate.sendError(sc);
        }
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        beforeCommit();
        if (!replaced) {
            delegate.sendRedirect(location);
        }
    }

    // once the guard replaced the response, the application's changes are discarded

    @Override
    public void setHeader(String name, String value) {
        if (!replaced) {
            delegate.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!replaced) {
            delegate.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (!replaced) {
            delegate.setIntHeader(name, value);
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (!replaced) {
            delegate.addIntHeader(name, value);
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (!replaced) {
            delegate.setDateHeader(name, date);
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (!replaced) {
            delegate.addDateHeader(name, date);
        }
    }

    @Override
    public void addCookie(Cookie cookie) {
        if (!replaced) {
            delegate.addCookie(cookie);
        }
    }

    @Override
    public void setStatus(int sc) {
        if (!replaced) {
            delegate.setStatus(sc);
        }
    }

    @Override
    public void setContentType(String type) {
        if (!replaced) {
            delegate.setContentType(type);
        }
    }

    @Override
    public void setContentLength(int len) {
        if (!replaced) {
            delegate.setContentLength(len);
        }
    }

    @Override
    public void setContentLengthLong(long len) {
        if (!replaced) {
            delegate.setContentLengthLong(len);
        }
    }

    @Override
    public void setCharacterEncoding(String charset) {
        if (!replaced) {
            delegate.setCharacterEncoding(charset);
        }
    }

    @Override
    public void setLocale(Locale loc) {
        if (!replaced) {
            delegate.setLocale(loc);
        }
    }

    @Override
    public void reset() {
        if (!replaced) {
            delegate.reset();
            checked = false;
        }
    }

    @Override
    public void resetBuffer() {
        if (!replaced) {
            delegate.resetBuffer();
        }
    }

    /** Runs the check before the first byte reaches the container; discards bytes after a replacement. */
    private final class CheckingStream extends ServletOutputStream {
        private final HttpServletResponse target;

        CheckingStream(HttpServletResponse target) {
            this.target = target;
        }

        private ServletOutputStream out() throws IOException {
            beforeCommit();
            return replaced ? null : target.getOutputStream();
        }

        @Override
        public void write(int b) throws IOException {
            ServletOutputStream out = out();
            if (out != null) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ServletOutputStream out = out();
            if (out != null) {
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            ServletOutputStream out = out();
            if (out != null) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            ServletOutputStream out = out();
            if (out != null) {
                out.close();
            }
        }

        @Override
        public boolean isReady() {
            try {
                ServletOutputStream out = target.getOutputStream();
                return out.isReady();
            } catch (IOException | IllegalStateException e) {
                return false;
            }
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            try {
                target.getOutputStream().setWriteListener(listener);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
