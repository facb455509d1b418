package org.springframework.http;

/** Test-only stand-in for Spring's package-private status of a code without an enum constant (e.g. 599). */
final class DefaultHttpStatusCode implements HttpStatusCode {

    private final int value;

    DefaultHttpStatusCode(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }
}
