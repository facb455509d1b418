package org.springframework.web.client;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/** Test-only stand-in: an upstream 4xx. */
public class HttpClientErrorException extends HttpStatusCodeException {

    public HttpClientErrorException(HttpStatusCode statusCode) {
        super(statusCode);
    }

    public static final class NotFound extends HttpClientErrorException {
        public NotFound() {
            super(HttpStatus.NOT_FOUND);
        }
    }
}
