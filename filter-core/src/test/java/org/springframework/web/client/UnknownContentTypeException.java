package org.springframework.web.client;

import org.springframework.http.HttpStatusCode;

/** Test-only stand-in: no converter for the upstream response's content type. */
public class UnknownContentTypeException extends RestClientException {

    private final HttpStatusCode statusCode;

    public UnknownContentTypeException(HttpStatusCode statusCode) {
        super("no suitable HttpMessageConverter for content type [text/html]");
        this.statusCode = statusCode;
    }

    public HttpStatusCode getStatusCode() {
        return statusCode;
    }
}
