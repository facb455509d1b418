package org.springframework.http;

/** Test-only stand-in for Spring's HTTP status: what the classifier reads ({@code value()}). */
public interface HttpStatusCode {

    int value();

    /** A known status as the public enum, any other as the package-private class, as Spring does. */
    static HttpStatusCode valueOf(int code) {
        for (HttpStatus status : HttpStatus.values()) {
            if (status.value() == code) {
                return status;
            }
        }
        return new DefaultHttpStatusCode(code);
    }
}
