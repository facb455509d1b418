package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.policy.GuardPolicy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of a response we make ourselves: an RFC 9457 problem details document
 * ({@code application/problem+json}).
 *
 * <p>Its {@code type} names the RFC 9209 error type, its {@code title} is the type's fixed summary
 * ({@link ErrorTexts#title}), and its {@code detail} is a generic sentence chosen by status; the failure's
 * own {@code details} text is added only when the exposure policy allows. The failure's cause (an
 * exception, its message, hosts or addresses in it) is never written.
 */
public final class ProblemDetails {

    /** RFC 9457 §6.1. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private ProblemDetails() {
    }

    /**
     * The problem for a failure: {@code type} = {@code typeBase} + the error token (e.g.
     * {@code https://errors.example/problems/connection_refused}), the type's title, {@code status}, a
     * generic detail sentence (plus {@code "Details: "} and the failure's details when
     * {@code exposeDetails}), and the extension members {@code error} (the token) and {@code request_id}.
     * With the base {@link GuardPolicy#PROBLEM_TYPE_ABOUT_BLANK} the {@code type} is {@code about:blank} and the {@code title} the
     * status phrase ({@link #statusPhrase}), as RFC 9457 §4.2.1 asks; the token stays in {@code error}.
     *
     * @param typeBase      the URI prefix, ending with its separator ({@code /} or {@code #}) since the token is
     *                      appended as is, or {@link GuardPolicy#PROBLEM_TYPE_ABOUT_BLANK}; {@code null} means {@link GuardPolicy#DEFAULT_PROBLEM_TYPE_BASE}
     * @param failure       the classified failure
     * @param status        the status the response gets (the policy's mapping, not necessarily the RFC's)
     * @param requestId     the request id to quote to support, or {@code null}
     * @param exposeDetails whether this client may see the failure's details
     */
    public static Problem forFailure(String typeBase, UpstreamFailure failure, int status, String requestId,
                                     boolean exposeDetails) {
        Objects.requireNonNull(failure, "failure");
        String base = typeBase == null ? GuardPolicy.DEFAULT_PROBLEM_TYPE_BASE : typeBase;
        String token = failure.type().token();
        String detail = genericDetail(status);
        if (exposeDetails && failure.details() != null && !failure.details().isBlank()) {
            detail = detail + " Details: " + failure.details();
        }
        if (GuardPolicy.PROBLEM_TYPE_ABOUT_BLANK.equals(base)) {
            return new Problem(GuardPolicy.PROBLEM_TYPE_ABOUT_BLANK, statusPhrase(status), status, detail, token, requestId, Map.of());
        }
        return new Problem(base + token, ErrorTexts.title(failure.type()), status, detail, token, requestId, Map.of());
    }

    /**
     * The reason phrase HTTP recommends for an error status (RFC 9110 §15.5 and §15.6; 429 from RFC 6585 §4),
     * e.g. "Bad Gateway" for 502. A status without a registered phrase gets the phrase of its class's x00 status,
     * the status a recipient treats it as (RFC 9110 §15).
     */
    public static String statusPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> status >= 400 && status < 500 ? "Bad Request" : "Internal Server Error";
        };
    }

    /**
     * The document as JSON: {@code type}, {@code title}, {@code status}, {@code detail}, {@code error},
     * {@code request_id}, then the extensions, in that order; {@code null} members are left out. Strings
     * are escaped per RFC 8259 §7 and the output is pure ASCII (non-ASCII characters as
     * {@code \}{@code uXXXX}), so it is correct in any ASCII-compatible charset; send it as UTF-8.
     */
    public static String toJson(Problem p) {
        Objects.requireNonNull(p, "problem");
        StringBuilder out = new StringBuilder(256);
        out.append('{');
        boolean first = true;
        first = member(out, first, "type", p.type());
        first = member(out, first, "title", p.title());
        first = member(out, first, "status", p.status());
        first = member(out, first, "detail", p.detail());
        first = member(out, first, "error", p.errorToken());
        first = member(out, first, "request_id", p.requestId());
        for (Map.Entry<String, Object> e : p.extensions().entrySet()) {
            first = member(out, first, e.getKey(), e.getValue());
        }
        return out.append('}').toString();
    }

    /**
     * Whether a client with this {@code Accept} field value takes a problem document (RFC 9110 §12.5.1):
     * true when the field is absent or blank, or when {@code application/problem+json} or
     * {@code application/json} gets a quality above 0 from its most specific matching range
     * ({@code application/*} and {@code *}{@code /*} included). {@code q=0} excludes.
     */
    public static boolean clientAccepts(String acceptHeader) {
        if (acceptHeader == null || acceptHeader.isBlank()) {
            return true;
        }
        return AcceptHeader.quality(acceptHeader, "application", "problem+json") > 0
                || AcceptHeader.quality(acceptHeader, "application", "json") > 0;
    }

    /** A safe sentence for the status class; names nothing about the upstream or the exchange. */
    static String genericDetail(int status) {
        switch (status) {
            case 429: return "Too many requests; retry after the time given in Retry-After.";
            case 403: return "The gateway denied the request.";
            case 500: return "The gateway could not process the request.";
            case 502: return "The gateway could not get a valid response from the upstream server.";
            case 503: return "The upstream service is temporarily unavailable; retry later.";
            case 504: return "The upstream server did not respond in time.";
            default:
                return status >= 400 && status < 500
                        ? "The gateway rejected the request."
                        : "The gateway could not complete the request.";
        }
    }

    private static boolean member(StringBuilder out, boolean first, String name, Object value) {
        if (value == null) {
            return first;
        }
        if (!first) {
            out.append(',');
        }
        JsonText.appendString(out, name);
        out.append(':');
        if (value instanceof List<?> objects) { // JSON objects, checked by Problem
            out.append('[');
            for (int i = 0; i < objects.size(); i++) {
                out.append(i == 0 ? "{" : ",{");
                boolean firstMember = true;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) objects.get(i)).entrySet()) {
                    firstMember = member(out, firstMember, (String) e.getKey(), e.getValue());
                }
                out.append('}');
            }
            out.append(']');
        } else if (value instanceof String) {
            JsonText.appendString(out, (String) value);
        } else {
            out.append(value); // Boolean or a finite number, checked by Problem
        }
        return false;
    }
}
