package io.github.resilience4j.circuitbreaker;

/** Test-only stand-in for resilience4j's CallNotPermittedException (a RuntimeException, as in resilience4j 2.x). */
public class CallNotPermittedException extends RuntimeException {

    public CallNotPermittedException(String message) {
        super(message);
    }
}
