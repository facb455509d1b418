package dev.upstreamguard.core.policy;

import java.util.Map;

import static dev.upstreamguard.core.policy.PropertyValues.bool;
import static dev.upstreamguard.core.policy.PropertyValues.duration;

/**
 * How proxy-made errors are answered: {@code problem-details.*}, {@code request-id.header} and
 * {@code retry-after.default}. Fields of {@link GuardPolicy} itself, checked by its builder: each value goes
 * into the builder as soon as it is set.
 */
final class AnswerProperties extends PropertyGroup<AnswerProperties> {

    private static final Map<String, Row<AnswerProperties>> ROWS = rows(
            row("problem-details.enabled", "true", "true or false",
                    "Whether proxy-made errors carry an RFC 9457 application/problem+json body.",
                    (g, v) -> g.policy.problemDetails(bool(v))),
            row("problem-details.type-base", GuardPolicy.DEFAULT_PROBLEM_TYPE_BASE,
                    "an absolute URI ending where the error token goes (such as https://errors.example/problems/ or"
                            + " https://errors.example/errors.html#), or about:blank",
                    "Prefix of the problem 'type' URI; the error token is appended, so the default names the token's"
                            + " section of the error catalogue docs/errors.md. about:blank: every type is about:blank"
                            + " and every title the status phrase (RFC 9457 §4.2.1).",
                    (g, v) -> g.policy.problemTypeBase(v)),
            row("request-id.header", GuardPolicy.DEFAULT_REQUEST_ID_HEADER, "an HTTP field name",
                    "Request header whose value is echoed as the problem's request_id (generated when absent).",
                    (g, v) -> g.policy.requestIdHeader(v)),
            row("retry-after.default", "1s", "a duration from 1s to 1d such as 2s, 1m or PT30S",
                    "Retry-After on a 503/429 whose cause gives no better estimate.",
                    (g, v) -> g.policy.defaultRetryAfter(duration(v))));

    private final GuardPolicy.Builder policy;

    /** @param policy the builder of the policy being bound, which receives each value when it is set */
    AnswerProperties(String prefix, GuardPolicy.Builder policy) {
        super(prefix, ROWS);
        this.policy = policy;
    }

    @Override
    void applyTo(GuardPolicy.Builder builder) {
        // the values are in the builder already
    }
}
