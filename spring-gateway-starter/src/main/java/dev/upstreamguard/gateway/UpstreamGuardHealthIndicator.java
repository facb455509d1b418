package dev.upstreamguard.gateway;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code upstreamguard}: always UP — upstream failures are the upstreams' health, not
 * the gateway's, and a gateway taken out of rotation because its upstreams fail would only make things
 * worse — with the failures seen so far by error token as details, for dashboards and a quick look.
 */
public class UpstreamGuardHealthIndicator implements HealthIndicator {

    private final RecentFailures failures;

    /** A contributor reporting what {@code failures} recorded. */
    public UpstreamGuardHealthIndicator(RecentFailures failures) {
        this.failures = failures;
    }

    @Override
    public Health health() {
        return Health.up().withDetail("failuresByType", failures.countsByType()).build();
    }
}
