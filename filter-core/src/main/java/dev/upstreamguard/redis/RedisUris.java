package dev.upstreamguard.redis;

import io.lettuce.core.RedisURI;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a configured Redis URI and renders it for logs and errors without its credentials. Lettuce's own
 * parse errors quote the whole URI, password included, so none of them is passed on.
 */
final class RedisUris {
    /** A single Redis server, plain or over TLS (Lettuce's {@code RedisURI} schemes). */
    private static final Set<String> SCHEMES = Set.of("redis", "rediss");
    private static final String EXPECTED = "expected redis://[[user]:password@]host[:port][/database] or rediss://…";

    private RedisUris() {
    }

    /** The parsed URI, or an {@link IllegalArgumentException} naming the URI (credentials hidden). */
    static RedisURI parse(String uri) {
        Objects.requireNonNull(uri, "redisUri");
        URI syntax;
        try {
            syntax = new URI(uri);
        } catch (URISyntaxException ex) {
            throw invalid(uri, "not a URI");
        }
        if (syntax.getScheme() == null || !SCHEMES.contains(syntax.getScheme())) {
            throw invalid(uri, "unsupported scheme");
        }
        if (syntax.getHost() == null || syntax.getHost().isEmpty()) {
            throw invalid(uri, "no host (or an invalid port)");
        }
        try {
            return RedisURI.create(syntax);
        } catch (RuntimeException ex) {
            throw invalid(uri, "refused by Lettuce"); // its message quotes the password: not chained
        }
    }

    /** {@code uri} with everything between {@code //} (or the scheme's colon) and the last {@code @} hidden. */
    static String redact(String uri) {
        int at = uri.lastIndexOf('@');
        if (at < 0) {
            return uri;
        }
        int slashes = uri.indexOf("//");
        int start = slashes >= 0 && slashes < at ? slashes + 2 : uri.indexOf(':') + 1;
        return start > at ? "***" + uri.substring(at) : uri.substring(0, start) + "***" + uri.substring(at);
    }

    private static IllegalArgumentException invalid(String uri, String why) {
        return new IllegalArgumentException("Invalid Redis URI '" + redact(uri) + "' (" + why + "): " + EXPECTED);
    }
}
