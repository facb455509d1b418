package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.CidrSet;

import java.util.Locale;
import java.util.Map;

import static dev.upstreamguard.core.policy.PropertyValues.cidrs;
import static dev.upstreamguard.core.policy.PropertyValues.enumValue;
import static dev.upstreamguard.core.policy.PropertyValues.names;

/** {@code exposure.*}: who sees the details, bound into an {@link ExposurePolicy}. */
final class ExposureProperties extends PropertyGroup<ExposureProperties> {

    private static final String TRUSTED_CIDRS = "exposure.trusted-cidrs";

    private static final Map<String, Row<ExposureProperties>> ROWS = rows(
            row("exposure.mode", "trusted", "one of " + names(Exposure.values()),
                    "Who sees the Proxy-Status 'details' and 'next-hop' parameters and the detailed problem text.",
                    (g, v) -> g.exposure = enumValue(Exposure.class, v)),
            row(TRUSTED_CIDRS, "(none)",
                    "a comma-separated list of IPv4/IPv6 addresses or CIDR blocks (literals only), or empty for none",
                    "Client addresses that count as trusted when exposure.mode=trusted (none by default; loopback is"
                            + " 127.0.0.0/8,::1/128).",
                    (g, v) -> g.trusted = cidrs(v)));

    private Exposure exposure;
    private CidrSet trusted;

    ExposureProperties(GuardPolicy base, String prefix) {
        super(prefix, ROWS);
        exposure = base.exposure().exposure();
        trusted = base.exposure().trusted();
    }

    /** An empty list of trusted addresses trusts nobody. */
    @Override
    boolean emptyMeansNone(String key) {
        return key.equals(TRUSTED_CIDRS);
    }

    @Override
    void applyTo(GuardPolicy.Builder builder) {
        try {
            builder.exposure(new ExposurePolicy(exposure, trusted));
        } catch (IllegalArgumentException ex) {
            throw new ConfigurationException(fullKey("exposure.mode"), exposure.name().toLowerCase(Locale.ROOT),
                    ex.getMessage());
        }
    }
}
