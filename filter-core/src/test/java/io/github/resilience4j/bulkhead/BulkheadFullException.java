package io.github.resilience4j.bulkhead;

/** Test-only stand-in for resilience4j's BulkheadFullException (a RuntimeException, as in resilience4j 2.x). */
public class BulkheadFullException extends RuntimeException {

    public BulkheadFullException(String message) {
        super(message);
    }
}
