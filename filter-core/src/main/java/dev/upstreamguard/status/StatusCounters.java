package dev.upstreamguard.status;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Totals since {@code since} (when the {@link FailureHistory} was created).
 *
 * @param since                  when counting started
 * @param proxyFailures          failures the proxy answered or aborted (admission refusals included)
 * @param upstream5xx            upstream 5xx responses passed through
 * @param abortedResponses       client responses aborted after commit
 * @param retriesScheduled       retries scheduled
 * @param retriesSucceeded       requests that succeeded on a retry
 * @param retriesDeniedByBudget  retries the retry budget refused
 * @param retriesNotRetried      failures not retried for safety, attempts or deadline
 * @param ejections              upstreams ejected by passive health
 * @param restorations           upstreams returned to rotation
 * @param rateLimited            requests refused by a client rate limit (429)
 * @param concurrencyLimited     requests refused by a route's concurrency limit (503)
 * @param noHealthyUpstream      requests refused because every upstream was ejected (503)
 * @param backendFailuresAllowed shared limit backend failures answered by letting the request through
 * @param backendFailuresDenied  shared limit backend failures answered by refusing the request
 * @param originHeaderViolations this application's own response heads a proxy in front would refuse
 * @param circuitOpenings        times a route's opt-in circuit breaker opened (a failed probe reopening it included)
 * @param circuitOpen            requests refused because their route's circuit was open (503)
 */
public record StatusCounters(Instant since, long proxyFailures, long upstream5xx, long abortedResponses,
                             long retriesScheduled, long retriesSucceeded, long retriesDeniedByBudget,
                             long retriesNotRetried, long ejections, long restorations, long rateLimited,
                             long concurrencyLimited, long noHealthyUpstream, long backendFailuresAllowed,
                             long backendFailuresDenied, long originHeaderViolations, long circuitOpenings,
                             long circuitOpen) {

    /** Rejects a missing start. */
    public StatusCounters {
        Objects.requireNonNull(since, "since");
    }

    /** Every count by its snake_case name, in declaration order: the names JSON and the page use. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("proxy_failures", proxyFailures);
        m.put("upstream_5xx", upstream5xx);
        m.put("aborted_responses", abortedResponses);
        m.put("retries_scheduled", retriesScheduled);
        m.put("retries_succeeded", retriesSucceeded);
        m.put("retries_denied_by_budget", retriesDeniedByBudget);
        m.put("retries_not_retried", retriesNotRetried);
        m.put("ejections", ejections);
        m.put("restorations", restorations);
        m.put("rate_limited", rateLimited);
        m.put("concurrency_limited", concurrencyLimited);
        m.put("no_healthy_upstream", noHealthyUpstream);
        m.put("backend_failures_allowed", backendFailuresAllowed);
        m.put("backend_failures_denied", backendFailuresDenied);
        m.put("origin_header_violations", originHeaderViolations);
        m.put("circuit_openings", circuitOpenings);
        m.put("circuit_open", circuitOpen);
        return m;
    }
}
