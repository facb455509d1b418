package org.springframework.web.client;

/** Test-only stand-in: the root of Spring's RestClient/RestTemplate exceptions. */
public class RestClientException extends RuntimeException {

    public RestClientException(String message) {
        super(message);
    }

    public RestClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
