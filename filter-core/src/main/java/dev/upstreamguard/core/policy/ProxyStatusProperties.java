package dev.upstreamguard.core.policy;

import java.util.Map;

/**
 * {@code proxy-status.member-name}. A field of {@link GuardPolicy} itself, checked by its builder: the value
 * goes into the builder as soon as it is set.
 */
final class ProxyStatusProperties extends PropertyGroup<ProxyStatusProperties> {

    private static final Map<String, Row<ProxyStatusProperties>> ROWS = rows(
            row("proxy-status.member-name", GuardPolicy.DEFAULT_MEMBER_NAME,
                    "an RFC 8941 token (letter or '*' first)",
                    "Our member name in Proxy-Status (RFC 9209 §2).",
                    (g, v) -> g.policy.memberName(v)));

    private final GuardPolicy.Builder policy;

    /** @param policy the builder of the policy being bound, which receives the value when it is set */
    ProxyStatusProperties(String prefix, GuardPolicy.Builder policy) {
        super(prefix, ROWS);
        this.policy = policy;
    }

    @Override
    void applyTo(GuardPolicy.Builder builder) {
        // the value is in the builder already
    }
}
