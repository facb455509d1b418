package dev.upstreamguard.gateway;

import dev.upstreamguard.core.Via;
import dev.upstreamguard.core.policy.ConfigurationException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Our {@code received-by} in {@code Via} (RFC 9110 §7.6.3): {@code 1#( received-protocol RWS received-by
 * [ RWS comment ] )}. A pseudonym, never a host name, so {@code Via} says nothing about the machine.
 */
final class ViaPseudonym {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");

    private final String name;

    private ViaPseudonym(String name) {
        this.name = name;
    }

    /**
     * {@code configured} when set (an HTTP token, RFC 9110 §5.6.2, of 1–64 characters), else
     * {@code upstream-guard-<8 random hex digits>}, new for each process.
     *
     * @throws ConfigurationException naming {@code property} and what it accepts
     */
    static ViaPseudonym of(String configured, String property) {
        if (configured == null || configured.isEmpty()) {
            return new ViaPseudonym(Via.randomPseudonym());
        }
        if (!TOKEN.matcher(configured).matches()) {
            throw new ConfigurationException(property, configured, "an HTTP token of 1-64 characters, e.g. edge-gw-1");
        }
        return new ViaPseudonym(configured);
    }

    String name() {
        return name;
    }

    /** Our element for a request received with {@code receivedProtocol} (e.g. {@code 1.1}, {@code 2}). */
    String element(String receivedProtocol) {
        return receivedProtocol + " " + name;
    }

    /** Whether any element of the {@code Via} field lines names us as {@code received-by} (case-insensitive). */
    boolean isIn(List<String> viaLines) {
        return Via.namesReceivedBy(viaLines, name);
    }
}
