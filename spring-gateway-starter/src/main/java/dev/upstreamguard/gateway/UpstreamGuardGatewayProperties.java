package dev.upstreamguard.gateway;

import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.spring.UpstreamGuardPolicies;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * The {@code upstream-guard.*} keys only the gateway has: the upstream calls are the gateway's own, so it
 * bounds them ({@code response-timeout}, {@code timeouts.*}), sizes Netty's head decoder and names itself in
 * {@code Via}. They live in this class (same prefix, this starter's IDE metadata) and not in the shared
 * {@link dev.upstreamguard.spring.UpstreamGuardProperties}, so a servlet application's IDE never offers them.
 * The shared class holds every other key (the core policy, {@code enabled}, {@code recent-failures}).
 */
@ConfigurationProperties(prefix = UpstreamGuardGatewayProperties.PREFIX)
public class UpstreamGuardGatewayProperties {
    /** The property prefix (shared with {@link dev.upstreamguard.spring.UpstreamGuardProperties}). */
    public static final String PREFIX = dev.upstreamguard.spring.UpstreamGuardProperties.PREFIX;
    /** The head deadline used when neither the route nor the gateway sets a response timeout. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** The body idle timeout unless {@code timeouts.idle} is set, the Jetty module's default. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** The keys of this class, without the prefix, for the unknown-key check. */
    static final List<String> KEYS = List.of("response-timeout", "decoder-max-header-size", "via-pseudonym",
            "timeouts.idle", "timeouts.total");

    /** Deadline for the upstream's response head when neither the route nor the gateway sets one; 0 for none. */
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    /** Largest upstream response head Netty decodes, so the guard's validator judges heads up to it; 0 keeps Netty's limit. */
    private DataSize decoderMaxHeaderSize = DataSize.ofKilobytes(128);
    /**
     * Our received-by in Via (RFC 9110 section 7.6.3) on requests to upstreams, an HTTP token; a request that already
     * carries it is a loop (502 proxy_loop_detected). Default: upstream-guard-(8 random hex digits), new per process.
     */
    private String viaPseudonym;
    /** Timeouts of the phases after the response head (the head has response-timeout). */
    private final Timeouts timeouts = new Timeouts();

    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public DataSize getDecoderMaxHeaderSize() {
        return decoderMaxHeaderSize;
    }

    public void setDecoderMaxHeaderSize(DataSize decoderMaxHeaderSize) {
        this.decoderMaxHeaderSize = decoderMaxHeaderSize;
    }

    public String getViaPseudonym() {
        return viaPseudonym;
    }

    public void setViaPseudonym(String viaPseudonym) {
        this.viaPseudonym = viaPseudonym;
    }

    public Timeouts getTimeouts() {
        return timeouts;
    }

    /** Netty's head limit in bytes (0 keeps Netty's); out of range stops the start naming the key. */
    int decoderMaxHeaderBytes() {
        long limit = decoderMaxHeaderSize == null ? 0 : decoderMaxHeaderSize.toBytes();
        if (limit < 0 || limit > Integer.MAX_VALUE) {
            throw new ConfigurationException(UpstreamGuardPolicies.KEY_PREFIX + "decoder-max-header-size",
                    String.valueOf(decoderMaxHeaderSize), "0 (Netty's limit) to 2GB, e.g. 128KB");
        }
        return (int) limit;
    }

    /** {@code upstream-guard.timeouts.*}: the same names as the Jetty module's. */
    public static class Timeouts {
        /**
         * Body idle timeout: no upstream body byte for this long after the head aborts the client's response
         * (connection_read_timeout) and closes the upstream connection; 0 for none.
         */
        private Duration idle = DEFAULT_IDLE_TIMEOUT;
        /** Whole-exchange timeout from the first attempt to the last body byte; over it the response is aborted. Default none (0). */
        private Duration total = Duration.ZERO;

        public Duration getIdle() {
            return idle;
        }

        public void setIdle(Duration idle) {
            this.idle = idle;
        }

        public Duration getTotal() {
            return total;
        }

        public void setTotal(Duration total) {
            this.total = total;
        }

        /** The idle timeout, {@code null} for none; a negative one stops the start naming the key. */
        Duration idleOrNull() {
            return orNull(idle, "timeouts.idle");
        }

        /** The total timeout, {@code null} for none; a negative one stops the start naming the key. */
        Duration totalOrNull() {
            return orNull(total, "timeouts.total");
        }

        private static Duration orNull(Duration d, String key) {
            if (d != null && d.isNegative()) {
                throw new ConfigurationException(UpstreamGuardPolicies.KEY_PREFIX + key, d.toString(),
                        "0 (none) or a positive duration such as 60s, 500ms or PT1M");
            }
            return d == null || d.isZero() ? null : d;
        }
    }
}
