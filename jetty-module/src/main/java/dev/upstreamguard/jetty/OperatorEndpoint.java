package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The rule of the operator's pages (status page, metrics scrape): only clients whose connection address is
 * trusted see them, everyone else gets the server's ordinary 404 (the page is not advertised); they answer
 * {@code GET} and {@code HEAD} only (RFC 9110 §15.5.6: 405 with {@code Allow}).
 */
public final class OperatorEndpoint {

    private OperatorEndpoint() {
    }

    /**
     * Answers 404 to an untrusted client and 405 to a method other than GET and HEAD.
     *
     * @return whether it answered (the caller then does nothing more)
     */
    public static boolean refused(Request request, Response response, Callback callback, CidrSet trustedClients) {
        if (!trustedClients.contains(Request.getRemoteAddr(request))) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }
        String method = request.getMethod();
        if (!HttpMethod.HEAD.is(method) && !HttpMethod.GET.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        return false;
    }
}
