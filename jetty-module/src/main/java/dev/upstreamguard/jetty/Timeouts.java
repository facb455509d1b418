package dev.upstreamguard.jetty;

import java.time.Duration;
import java.util.Objects;

/**
 * The per-phase timeouts of the guarded proxy's HTTP client, each answered with its own RFC 9209 error
 * type: name resolution ({@code dns_timeout}), TCP connect ({@code connection_timeout}), TLS handshake
 * ({@code connection_timeout} in the TLS phase), response head — a deadline for the whole head from the
 * moment the request was sent ({@code http_response_timeout}), read idle ({@code connection_read_timeout}
 * once the body flows) and total ({@link Duration#ZERO} = none).
 *
 * @param resolve      address resolution
 * @param connect      TCP connect
 * @param tlsHandshake TLS handshake after connect
 * @param responseHead from the request sent to the complete response head
 * @param idle         no byte in either direction on the upstream connection
 * @param total        the whole exchange, body included; {@link Duration#ZERO} for none
 */
public record Timeouts(Duration resolve, Duration connect, Duration tlsHandshake, Duration responseHead,
                       Duration idle, Duration total) {

    /** Defaults: resolve 5 s, connect 5 s, TLS 10 s, head 30 s, idle 60 s, no total timeout. */
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ZERO);

    /** Every timeout must be positive, {@code total} may be zero; the idle timeout must not undercut the head deadline. */
    public Timeouts {
        positive("resolve", resolve);
        positive("connect", connect);
        positive("tls", tlsHandshake);
        positive("response-head", responseHead);
        positive("idle", idle);
        Objects.requireNonNull(total, "total");
        if (total.isNegative()) {
            throw new IllegalArgumentException("timeouts.total must be 0 (none) or positive, was " + total);
        }
        if (idle.compareTo(responseHead) < 0) {
            throw new IllegalArgumentException("timeouts.idle (" + idle + ") must not be shorter than"
                    + " timeouts.response-head (" + responseHead + "): the head deadline would never fire");
        }
    }

    /** A copy with another connect timeout. */
    public Timeouts withConnect(Duration d) {
        return new Timeouts(resolve, d, tlsHandshake, responseHead, idle, total);
    }

    /** A copy with another response-head deadline. */
    public Timeouts withResponseHead(Duration d) {
        return new Timeouts(resolve, connect, tlsHandshake, d, idle.compareTo(d) < 0 ? d : idle, total);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeouts." + name + " must be a positive duration, was " + d);
        }
    }
}
