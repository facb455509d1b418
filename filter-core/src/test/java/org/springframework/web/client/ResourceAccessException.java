package org.springframework.web.client;

import java.io.IOException;

/** Test-only stand-in: Spring's wrapper of the I/O failure of a RestClient/RestTemplate call. */
public class ResourceAccessException extends RestClientException {

    public ResourceAccessException(String message, IOException cause) {
        super(message, cause);
    }
}
