package org.springframework.http;

/** Test-only stand-in for Spring's public status enum (the statuses the tables use). */
public enum HttpStatus implements HttpStatusCode {
    NOT_FOUND(404), TOO_MANY_REQUESTS(429), INTERNAL_SERVER_ERROR(500), BAD_GATEWAY(502), SERVICE_UNAVAILABLE(503),
    GATEWAY_TIMEOUT(504);

    private final int value;

    HttpStatus(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }
}
