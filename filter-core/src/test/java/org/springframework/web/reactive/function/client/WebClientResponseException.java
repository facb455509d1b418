package org.springframework.web.reactive.function.client;

import org.springframework.http.HttpStatusCode;

/** Test-only stand-in: WebClient's exception for an error status, with two of its per-status subclasses. */
public class WebClientResponseException extends WebClientException {

    private final HttpStatusCode statusCode;

    public WebClientResponseException(HttpStatusCode statusCode) {
        super("error status from upstream", null);
        this.statusCode = statusCode;
    }

    public HttpStatusCode getStatusCode() {
        return statusCode;
    }

    public static class BadGateway extends WebClientResponseException {
        BadGateway() {
            super(HttpStatusCode.valueOf(502));
        }
    }

    public static class NotFound extends WebClientResponseException {
        NotFound() {
            super(HttpStatusCode.valueOf(404));
        }
    }

    /** Like Spring's factory: the subclass for a known status, else this class. */
    public static WebClientResponseException create(int status) {
        return switch (status) {
            case 502 -> new BadGateway();
            case 404 -> new NotFound();
            default -> new WebClientResponseException(HttpStatusCode.valueOf(status));
        };
    }
}
