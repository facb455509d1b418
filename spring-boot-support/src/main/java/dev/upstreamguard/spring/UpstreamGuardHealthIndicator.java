package dev.upstreamguard.spring;

import dev.upstreamguard.status.FailureHistory;
import dev.upstreamguard.status.MinuteCounts;
import dev.upstreamguard.status.StatusReport;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.Map;
import java.util.TreeMap;

/**
 * Health contributor {@code upstreamguard}: always UP — upstream failures are the upstreams' health, not
 * the application's, and an application taken out of rotation because its upstreams fail would only make things
 * worse — with the failures of the last minutes by error type (and {@code upstream_5xx} passed through) as details, for dashboards and a quick look.
 */
public class UpstreamGuardHealthIndicator implements HealthIndicator {

    private final FailureHistory history;

    /** A contributor reporting what {@code history} recorded. */
    public UpstreamGuardHealthIndicator(FailureHistory history) {
        this.history = history;
    }

    @Override
    public Health health() {
        Map<String, Long> byType = new TreeMap<>();
        for (MinuteCounts minute : history.minutes()) {
            minute.byError().forEach((token, n) -> byType.merge(token, n, Long::sum));
            if (minute.upstream5xx() > 0) {
                byType.merge(StatusReport.UPSTREAM_5XX, minute.upstream5xx(), Long::sum);
            }
        }
        return Health.up().withDetail("failuresByType", byType)
                .withDetail("windowMinutes", history.windowMinutes()).build();
    }
}
