package org.springframework.web.client;

import org.springframework.http.HttpStatusCode;

/** Test-only stand-in: the common parent of Spring's 4xx and 5xx client exceptions. */
public abstract class HttpStatusCodeException extends RestClientResponseException {

    protected HttpStatusCodeException(HttpStatusCode statusCode) {
        super("error status from upstream", statusCode);
    }
}
