package io.github.resilience4j.ratelimiter;

/** Test-only stand-in for resilience4j's RequestNotPermitted (a RuntimeException, as in resilience4j 2.x). */
public class RequestNotPermitted extends RuntimeException {

    public RequestNotPermitted(String message) {
        super(message);
    }
}
