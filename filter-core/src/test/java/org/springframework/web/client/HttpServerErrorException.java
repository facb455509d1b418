package org.springframework.web.client;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/** Test-only stand-in: an upstream 5xx, with Spring's per-status subclasses. */
public class HttpServerErrorException extends HttpStatusCodeException {

    public HttpServerErrorException(HttpStatusCode statusCode) {
        super(statusCode);
    }

    /** Like Spring's factory: the subclass for a known status, else this class. */
    public static HttpServerErrorException create(HttpStatusCode statusCode) {
        return switch (statusCode.value()) {
            case 500 -> new InternalServerError();
            case 502 -> new BadGateway();
            case 503 -> new ServiceUnavailable();
            case 504 -> new GatewayTimeout();
            default -> new HttpServerErrorException(statusCode);
        };
    }

    public static final class InternalServerError extends HttpServerErrorException {
        InternalServerError() {
            super(HttpStatus.INTERNAL_SERVER_ERROR);
        }
    }

    public static final class BadGateway extends HttpServerErrorException {
        BadGateway() {
            super(HttpStatus.BAD_GATEWAY);
        }
    }

    public static final class ServiceUnavailable extends HttpServerErrorException {
        ServiceUnavailable() {
            super(HttpStatus.SERVICE_UNAVAILABLE);
        }
    }

    public static final class GatewayTimeout extends HttpServerErrorException {
        GatewayTimeout() {
            super(HttpStatus.GATEWAY_TIMEOUT);
        }
    }
}
