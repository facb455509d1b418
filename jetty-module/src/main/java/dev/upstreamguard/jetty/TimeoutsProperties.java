package dev.upstreamguard.jetty;

import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.core.policy.PolicyBinder.PropertyInfo;

import java.time.DateTimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@code timeouts.*} properties of the Jetty module, turned into {@link Timeouts}. */
final class TimeoutsProperties {

    private static final String ACCEPTED = "a positive duration such as 500ms, 5s, 2m or PT5S";

    /** The keys, without prefix, in documentation order. */
    static final List<PropertyInfo> PROPERTIES = List.of(
            new PropertyInfo("timeouts.resolve", "5s", ACCEPTED,
                    "Name resolution of an upstream host (dns_timeout, 504)."),
            new PropertyInfo("timeouts.connect", "5s", ACCEPTED,
                    "TCP connect to an upstream (connection_timeout, 504)."),
            new PropertyInfo("timeouts.tls", "10s", ACCEPTED,
                    "TLS handshake with an https upstream (connection_timeout, 504)."),
            new PropertyInfo("timeouts.response-head", "30s", ACCEPTED + ", not above timeouts.idle",
                    "From the request sent to the complete response head (http_response_timeout, 504)."),
            new PropertyInfo("timeouts.idle", "60s", ACCEPTED + ", not below timeouts.response-head",
                    "No byte on the upstream connection once the body flows (connection_read_timeout)."),
            new PropertyInfo("timeouts.total", "0", "0 (none) or a positive duration such as 30s, 2m or PT1M",
                    "The whole exchange, body included."));

    private TimeoutsProperties() {
    }

    /**
     * The timeouts in {@code own} (full keys, {@code prefix} included), unset ones from {@link Timeouts#DEFAULTS}.
     *
     * @throws ConfigurationException for the first invalid value
     */
    static Timeouts parse(Map<String, String> own, String prefix) {
        Timeouts d = Timeouts.DEFAULTS;
        Duration resolve = duration(own, prefix, "timeouts.resolve", d.resolve(), false);
        Duration connect = duration(own, prefix, "timeouts.connect", d.connect(), false);
        Duration tls = duration(own, prefix, "timeouts.tls", d.tlsHandshake(), false);
        Duration head = duration(own, prefix, "timeouts.response-head", d.responseHead(), false);
        Duration idle = duration(own, prefix, "timeouts.idle", d.idle(), false);
        Duration total = duration(own, prefix, "timeouts.total", d.total(), true);
        try {
            return new Timeouts(resolve, connect, tls, head, idle, total);
        } catch (IllegalArgumentException ex) {   // idle below the head deadline: the one cross-field rule
            String key = own.containsKey(prefix + "timeouts.idle") ? "timeouts.idle" : "timeouts.response-head";
            throw new ConfigurationException(prefix + key, own.get(prefix + key), info(key).accepted() + "; " + ex.getMessage());
        }
    }

    private static Duration duration(Map<String, String> own, String prefix, String key, Duration fallback,
                                     boolean zeroAllowed) {
        String value = own.get(prefix + key);
        if (value == null) {
            return fallback;
        }
        Duration d = parseDuration(value);
        if (d == null || d.isNegative() || (d.isZero() && !zeroAllowed)) {
            throw new ConfigurationException(prefix + key, value, info(key).accepted());
        }
        return d;
    }

    /** The core's duration syntax ({@link PolicyBinder#parseDuration}); {@code null} when it is not one. */
    static Duration parseDuration(String value) {
        try {
            return PolicyBinder.parseDuration(value);
        } catch (IllegalArgumentException | DateTimeException ex) {
            return null;
        }
    }

    private static PropertyInfo info(String key) {
        return PROPERTIES.stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }
}
