package org.springframework.web.reactive.function.client;

/** Test-only stand-in: WebClient's wrapper of a transport failure. */
public class WebClientRequestException extends WebClientException {

    public WebClientRequestException(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
