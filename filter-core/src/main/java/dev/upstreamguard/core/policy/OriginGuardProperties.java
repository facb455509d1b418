package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.OriginGuardAction;

import java.util.Map;

import static dev.upstreamguard.core.policy.PropertyValues.bool;
import static dev.upstreamguard.core.policy.PropertyValues.enumValue;
import static dev.upstreamguard.core.policy.PropertyValues.names;
import static dev.upstreamguard.core.policy.PropertyValues.size;

/** {@code origin-guard.*}: this application's own heads against the front proxy's budget, an {@link OriginGuardPolicy}. */
final class OriginGuardProperties extends PropertyGroup<OriginGuardProperties> {

    private static final Map<String, Row<OriginGuardProperties>> ROWS = rows(
            row("origin-guard.enabled", "true", "true or false",
                    "Whether this application's own response heads are measured against the front proxy's budget.",
                    (g, v) -> g.enabled = bool(v)),
            row("origin-guard.header-budget", String.valueOf(OriginGuardPolicy.DEFAULT_HEADER_BUDGET),
                    "a size in bytes of at least " + OriginGuardPolicy.MIN_HEADER_BUDGET + ", such as 4096, 4k or 8KiB",
                    "Largest response head the proxy in front accepts (nginx proxy_buffer_size: 4k or 8k).",
                    (g, v) -> g.budget = size(v)),
            row("origin-guard.action", "warn", "one of " + names(OriginGuardAction.values()),
                    "What to do when this application's head is over budget or has illegal characters.",
                    (g, v) -> g.action = enumValue(OriginGuardAction.class, v)));

    private boolean enabled;
    private int budget;
    private OriginGuardAction action;

    OriginGuardProperties(GuardPolicy base, String prefix) {
        super(prefix, ROWS);
        enabled = base.originGuard().enabled();
        budget = base.originGuard().headerBudget();
        action = base.originGuard().action();
    }

    @Override
    void applyTo(GuardPolicy.Builder builder) {
        builder.originGuard(crossField("origin-guard.", () -> new OriginGuardPolicy(enabled, budget, action)));
    }
}
