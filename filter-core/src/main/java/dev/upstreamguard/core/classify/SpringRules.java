package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;

/**
 * The exceptions of Spring Framework's HTTP clients ({@code RestClient}, {@code RestTemplate},
 * {@code WebClient}), by class name: what an application behind the servlet filter sees when the service
 * it called failed.
 *
 * <p><b>An upstream 5xx</b> ({@code HttpServerErrorException} and its per-status subclasses, or any
 * {@code RestClientResponseException} / {@code WebClientResponseException} whose status is 5xx) becomes
 * {@code http_protocol_error} (RFC 9209 §2.3.28) in {@link Phase#READ_HEAD} with {@code received-status}
 * (RFC 9209 §2.1.4) set to the upstream's status, answered 502 by default. Why: RFC 9209 defines no error
 * type for "the next hop answered with a server error", because a proxy relays that answer and reports
 * only {@code received-status}. An application whose client raised the 5xx as an exception relays nothing:
 * it failed to obtain a usable response while acting as a gateway, which RFC 9110 §15.6.3 answers with
 * 502, and §2.3.28 is RFC 9209's type for a failure at the HTTP layer with the next hop when no more
 * specific one is defined; {@code received-status} says which answer it was. The type that would keep a
 * 503 a 503, {@code destination_unavailable}, means "the request never left" to the retry rules, which
 * is untrue here; {@code http_protocol_error} is never retried once sent.
 *
 * <p><b>An upstream 4xx</b> ({@code HttpClientErrorException}, a 4xx {@code WebClientResponseException})
 * is left unrecognised: the upstream judged the request this application made, so it is this
 * application's own error to handle (or to let become its plain 500). RFC 9209's
 * {@code http_request_error} (§2.3.16) is an intermediary refusing the client's request, not this case.
 *
 * <p><b>Transport failures</b> ({@code ResourceAccessException}, {@code WebClientRequestException}) need
 * no rule: they wrap the client library's exception, which the cause chain walk classifies.
 *
 * <p>The status is read reflectively as {@code getStatusCode().value()} (Spring 6 and 7).
 */
final class SpringRules {

    static final String UPSTREAM_SERVER_ERROR = "upstream answered with a server error status";
    static final String UNREADABLE_CONTENT_TYPE = "upstream response has a content type the client cannot read";

    private static final Reflective STATUS_CODE = new Reflective("getStatusCode");
    private static final Reflective VALUE = new Reflective("value");

    private SpringRules() {
    }

    static void register(RuleTable.Builder rules) {
        rules.on("org.springframework.web.client.HttpServerErrorException", (t, observed) -> serverError(status(t)));
        rules.on("org.springframework.web.client.RestClientResponseException", (t, observed) -> byStatus(t));
        rules.on("org.springframework.web.reactive.function.client.WebClientResponseException",
                (t, observed) -> byStatus(t));
        rules.on("org.springframework.web.client.UnknownContentTypeException", (t, observed) ->
                withReceivedStatus(Recognition.exact(ErrorType.HTTP_PROTOCOL_ERROR, Phase.READ_BODY,
                        UNREADABLE_CONTENT_TYPE), status(t)));
    }

    /** A response exception of either client: an upstream 5xx is ours, anything else the application's. */
    private static Recognition byStatus(Throwable t) {
        Integer status = status(t);
        return status != null && status >= 500 && status <= 599 ? serverError(status) : null;
    }

    private static Recognition serverError(Integer status) {
        return withReceivedStatus(Recognition.exact(ErrorType.HTTP_PROTOCOL_ERROR, Phase.READ_HEAD,
                UPSTREAM_SERVER_ERROR), status);
    }

    private static Recognition withReceivedStatus(Recognition recognition, Integer status) {
        return status != null && status >= 100 && status <= 999 ? recognition.with("received-status", status) : recognition;
    }

    /** {@code getStatusCode().value()}, or {@code null} when it cannot be read. */
    private static Integer status(Throwable t) {
        Object value = VALUE.read(STATUS_CODE.read(t));
        return value instanceof Integer ? (Integer) value : null;
    }
}
