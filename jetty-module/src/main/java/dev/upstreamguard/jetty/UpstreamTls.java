package dev.upstreamguard.jetty;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.security.KeyStore;
import java.util.List;
import java.util.Objects;

/**
 * How the proxy's client speaks TLS to {@code https} upstreams, for this proxy only (no JVM-wide system
 * properties): the certificates it trusts, the client certificate it presents, the protocols it offers and
 * whether the upstream's certificate must name the upstream host.
 *
 * @param trustStore           the certificates (e.g. a private CA) an upstream's chain must end in; {@code null}
 *                             for the JVM's default trust store
 * @param keyStore             the client certificate and its private key for upstreams that ask for one (mutual
 *                             TLS); {@code null} for none
 * @param keyStorePassword     the password of {@code keyStore} and of its private key; {@code null} for none
 * @param keyAlias             the key store entry to present, or {@code null} to let the TLS stack choose
 * @param protocols            the protocols offered, e.g. {@code TLSv1.3, TLSv1.2}; empty for the JVM's default
 * @param hostnameVerification whether the upstream's certificate must name the host of the upstream URL
 *                             (endpoint identification {@code HTTPS}, RFC 9110 §4.3.4); turning it off accepts
 *                             any trusted certificate for any host
 */
public record UpstreamTls(KeyStore trustStore, KeyStore keyStore, String keyStorePassword, String keyAlias,
                          List<String> protocols, boolean hostnameVerification) {

    /** The JVM's trust store and protocols, no client certificate, hostname verification on. */
    public static final UpstreamTls DEFAULTS = new UpstreamTls(null, null, null, null, List.of(), true);

    /** Copies the protocol list; a key alias needs a key store. */
    public UpstreamTls {
        protocols = List.copyOf(Objects.requireNonNull(protocols, "protocols"));
        if (keyAlias != null && keyStore == null) {
            throw new IllegalArgumentException("a key alias (" + keyAlias + ") needs a key store");
        }
    }

    /** Configures the client's {@link SslContextFactory.Client} before it starts. */
    void applyTo(SslContextFactory.Client factory) {
        factory.setTrustAll(false);
        factory.setEndpointIdentificationAlgorithm(hostnameVerification ? "HTTPS" : null);
        if (trustStore != null) {
            factory.setTrustStore(trustStore);
        }
        if (keyStore != null) {
            factory.setKeyStore(keyStore);
            if (keyStorePassword != null) {
                factory.setKeyStorePassword(keyStorePassword);
            }
            if (keyAlias != null) {
                factory.setCertAlias(keyAlias);
            }
        }
        if (!protocols.isEmpty()) {
            factory.setIncludeProtocols(protocols.toArray(new String[0]));
        }
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "UpstreamTls[trustStore=" + (trustStore == null ? "JVM default" : "set") + ", keyStore="
                + (keyStore == null ? "none" : "set") + ", keyAlias=" + keyAlias + ", protocols="
                + (protocols.isEmpty() ? "JVM default" : protocols) + ", hostnameVerification=" + hostnameVerification + "]";
    }
}
