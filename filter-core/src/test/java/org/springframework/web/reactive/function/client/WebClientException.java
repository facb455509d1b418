package org.springframework.web.reactive.function.client;

/** Test-only stand-in: the root of WebClient's exceptions. */
public abstract class WebClientException extends RuntimeException {

    protected WebClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
