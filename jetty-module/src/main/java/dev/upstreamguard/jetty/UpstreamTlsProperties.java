package dev.upstreamguard.jetty;

import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.PolicyBinder.PropertyInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;

/**
 * The {@code tls.*} properties of the Jetty module, turned into {@link UpstreamTls}. Every file is opened and
 * every password tried when Jetty starts, so a missing file, a wrong password, an unknown key store type or
 * protocol stops the start naming the property, the value (a password only as {@value #MASK}) and what is
 * accepted — not the first request to an {@code https} upstream.
 */
final class UpstreamTlsProperties {

    static final String TRUST_PATH = "tls.trust-store.path";
    static final String TRUST_PASSWORD = "tls.trust-store.password";
    static final String TRUST_TYPE = "tls.trust-store.type";
    static final String KEY_PATH = "tls.key-store.path";
    static final String KEY_PASSWORD = "tls.key-store.password";
    static final String KEY_TYPE = "tls.key-store.type";
    static final String KEY_ALIAS = "tls.key-store.alias";
    static final String PROTOCOLS = "tls.protocols";
    static final String HOSTNAME_VERIFICATION = "tls.hostname-verification";
    /** What a message shows instead of a password. */
    static final String MASK = "******";

    private static final String TYPES = "PKCS12 or JKS (any key store type of the JVM)";
    private static final String PATH = "the path of a readable key store file (relative: to the working directory)";

    /** The keys, without prefix, in documentation order. */
    static final List<PropertyInfo> PROPERTIES = List.of(
            new PropertyInfo(TRUST_PATH, "(none: the JVM's trust store)", PATH,
                    "Certificates an https upstream's chain must end in, e.g. a private CA (instead of the JVM's)."),
            new PropertyInfo(TRUST_PASSWORD, "(none)", "the trust store's password (never shown in messages)",
                    "Password of tls.trust-store.path, if it has one."),
            new PropertyInfo(TRUST_TYPE, "PKCS12", TYPES, "Type of tls.trust-store.path."),
            new PropertyInfo(KEY_PATH, "(none: no client certificate)", PATH,
                    "Client certificate and private key presented to upstreams that ask for one (mutual TLS)."),
            new PropertyInfo(KEY_PASSWORD, "(none)", "the key store's password, also its key's (never shown in messages)",
                    "Password of tls.key-store.path and of its private key."),
            new PropertyInfo(KEY_TYPE, "PKCS12", TYPES, "Type of tls.key-store.path."),
            new PropertyInfo(KEY_ALIAS, "(none: the TLS stack chooses)", "the alias of a private key entry of tls.key-store.path",
                    "Which client certificate of the key store to present."),
            new PropertyInfo(PROTOCOLS, "(the JVM's default, e.g. TLSv1.3,TLSv1.2)",
                    "a comma-separated list of TLS protocols the JVM enables, e.g. TLSv1.3,TLSv1.2",
                    "Protocols offered to https upstreams."),
            new PropertyInfo(HOSTNAME_VERIFICATION, "true", "true or false",
                    "Whether an upstream's certificate must name the upstream URL's host. false accepts any trusted"
                            + " certificate for any host: see the README's warning."));

    private UpstreamTlsProperties() {
    }

    /**
     * The TLS settings in {@code own} (full keys, {@code prefix} included), every file loaded and checked.
     *
     * @throws ConfigurationException for the first invalid value
     */
    static UpstreamTls parse(Map<String, String> own, String prefix) {
        Reader r = new Reader(own, prefix);
        KeyStore trust = r.keyStore(TRUST_PATH, TRUST_PASSWORD, TRUST_TYPE);
        if (trust != null && !hasEntry(trust, false)) {
            throw new ConfigurationException(prefix + TRUST_PATH, r.get(TRUST_PATH), "a trust store holding at least"
                    + " one certificate (this one has none)");
        }
        KeyStore key = r.keyStore(KEY_PATH, KEY_PASSWORD, KEY_TYPE);
        String alias = r.get(KEY_ALIAS);
        r.requireWith(KEY_ALIAS, KEY_PATH);
        if (key != null) {
            alias = r.checkKey(key, alias);
        }
        String enabled = r.get(HOSTNAME_VERIFICATION);
        if (enabled != null && !enabled.matches("(?i)true|false")) {
            throw new ConfigurationException(prefix + HOSTNAME_VERIFICATION, enabled, info(HOSTNAME_VERIFICATION).accepted());
        }
        return new UpstreamTls(trust, key, r.get(KEY_PASSWORD), alias, r.protocols(),
                enabled == null || Boolean.parseBoolean(enabled));
    }

    private static boolean hasEntry(KeyStore store, boolean privateKey) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (privateKey ? store.isKeyEntry(alias) : store.isCertificateEntry(alias) || store.isKeyEntry(alias)) {
                    return true;
                }
            }
            return false;
        } catch (KeyStoreException ex) {
            throw new IllegalStateException("a loaded key store failed", ex);
        }
    }

    private static PropertyInfo info(String key) {
        return PROPERTIES.stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }

    /** Reads values of one configuration, failing with the full property name. */
    private record Reader(Map<String, String> own, String prefix) {

        String get(String key) {
            String value = own.get(prefix + key);
            return value == null || value.isEmpty() ? null : value;
        }

        ConfigurationException invalid(String key, String value, String accepted) {
            return new ConfigurationException(prefix + key, value, accepted);
        }

        /** A setting that means nothing without another one. */
        void requireWith(String key, String needed) {
            if (get(key) != null && get(needed) == null) {
                String value = key.endsWith("password") ? MASK : get(key);
                throw invalid(key, value, "nothing unless " + prefix + needed + " is set too");
            }
        }

        KeyStore keyStore(String pathKey, String passwordKey, String typeKey) {
            String path = get(pathKey);
            if (path == null) {
                requireWith(passwordKey, pathKey);
                requireWith(typeKey, pathKey);
                return null;
            }
            String type = get(typeKey) == null ? "PKCS12" : get(typeKey);
            KeyStore store;
            try {
                store = KeyStore.getInstance(type);
            } catch (KeyStoreException ex) {
                throw invalid(typeKey, type, TYPES + "; this JVM has " + new TreeSet<>(Security.getAlgorithms("KeyStore")));
            }
            Path file;
            try {
                file = Path.of(path);
            } catch (InvalidPathException ex) {
                throw invalid(pathKey, path, PATH + " (" + ex.getMessage() + ")");
            }
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw invalid(pathKey, path, PATH + " (" + file.toAbsolutePath() + " is not a readable file)");
            }
            String password = get(passwordKey);
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, password == null ? null : password.toCharArray());
                return store;
            } catch (IOException ex) {
                if (ex.getCause() instanceof UnrecoverableKeyException) {
                    throw invalid(passwordKey, password == null ? null : MASK, "the password of " + path);
                }
                throw invalid(pathKey, path, "a " + type + " key store file, set " + prefix + typeKey
                        + " for another type (" + ex.getMessage() + ")");
            } catch (GeneralSecurityException ex) {
                throw invalid(pathKey, path, "a " + type + " key store file (" + ex.getMessage() + ")");
            }
        }

        /** The alias (checked) or, when none is named, {@code null}; the private key must open with the password. */
        String checkKey(KeyStore store, String alias) {
            if (!hasEntry(store, true)) {
                throw invalid(KEY_PATH, get(KEY_PATH), "a key store holding a private key and its certificate (this one has none)");
            }
            String password = get(KEY_PASSWORD);
            char[] chars = password == null ? new char[0] : password.toCharArray();
            try {
                List<String> keys = new ArrayList<>();
                for (String a : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(a)) {
                        keys.add(a);
                    }
                }
                if (alias != null && !keys.contains(alias)) {
                    throw invalid(KEY_ALIAS, alias, "the alias of a private key entry of " + get(KEY_PATH) + ": one of " + keys);
                }
                for (String a : alias == null ? keys : List.of(alias)) {
                    store.getKey(a, chars);
                }
                return alias;
            } catch (UnrecoverableKeyException ex) {
                throw invalid(KEY_PASSWORD, password == null ? null : MASK, "the password of " + get(KEY_PATH)
                        + " that also opens its private key");
            } catch (KeyStoreException | NoSuchAlgorithmException ex) {
                throw invalid(KEY_PATH, get(KEY_PATH), "a key store whose private key can be read (" + ex.getMessage() + ")");
            }
        }

        List<String> protocols() {
            String value = get(PROTOCOLS);
            if (value == null) {
                return List.of();
            }
            List<String> enabled;
            try {
                enabled = List.of(SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
            } catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException("the JVM has no default TLS context", ex);
            }
            List<String> protocols = new ArrayList<>();
            for (String protocol : value.split(",")) {
                String p = protocol.trim();
                if (!enabled.contains(p)) {
                    throw invalid(PROTOCOLS, value, info(PROTOCOLS).accepted() + "; this JVM enables " + enabled
                            + ", not '" + p + "'");
                }
                protocols.add(p);
            }
            return protocols;
        }
    }
}
