package dev.upstreamguard.core;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One upstream of a route: a configured id and its base URI.
 *
 * <p>The id is what logs, metrics and health pages show, so it is short and low-cardinality by
 * construction; the URI is for connecting only and never written to a client.
 *
 * @param id  1–64 characters of {@code A-Z a-z 0-9 . _ -}, unique within its route
 * @param uri an absolute {@code http} or {@code https} URI with a host (RFC 9110 §4.2)
 */
public record Upstream(String id, URI uri) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Checks both values, naming the field and what it accepts. */
    public Upstream {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(uri, "uri");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("upstream id must be 1-64 characters of A-Z a-z 0-9 . _ -, was '"
                    + id + "'");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
            throw new IllegalArgumentException("upstream '" + id
                    + "' uri must be an absolute http or https URI with a host, such as http://orders:8080, was '"
                    + uri + "'");
        }
    }

    /** An upstream from a URI string. */
    public static Upstream of(String id, String uri) {
        Objects.requireNonNull(uri, "uri");
        try {
            return new Upstream(id, URI.create(uri));
        } catch (IllegalArgumentException ex) {
            if (ex.getCause() instanceof java.net.URISyntaxException) {
                throw new IllegalArgumentException("upstream '" + id + "' uri is not a URI: '" + uri + "'", ex);
            }
            throw ex;
        }
    }
}
