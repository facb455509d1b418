package org.springframework.web.client;

import org.springframework.http.HttpStatusCode;

/** Test-only stand-in: a RestClient/RestTemplate exception that carries the upstream's status. */
public class RestClientResponseException extends RestClientException {

    private final HttpStatusCode statusCode;

    public RestClientResponseException(String message, HttpStatusCode statusCode) {
        super(message);
        this.statusCode = statusCode;
    }

    public HttpStatusCode getStatusCode() {
        return statusCode;
    }
}
