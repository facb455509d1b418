package dev.upstreamguard.jetty;

import dev.upstreamguard.core.policy.ConfigurationException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the routes of the Jetty module from one property value. Jetty XML reads only properties it
 * names one by one, so every route is written into the single property {@code upstream-guard.routes}:
 * <pre>
 * routes   = route *( ";" route )
 * route    = id "=" prefix "-&gt;" upstream *( "," upstream ) [ "!strip" ]
 * id       = 1-64 of A-Z a-z 0-9 . _ -  (letter or digit first)
 * prefix   = "/" or "/" followed by path characters, not ending in "/"; no whitespace ; , ! ? # &gt;
 * upstream = an absolute http:// or https:// URL, no whitespace ; , ! (percent-encode them), no query
 * </pre>
 * Example: {@code api=/api->http://127.0.0.1:8081,http://127.0.0.1:8082; static=/assets->http://127.0.0.1:9000!strip}.
 * Whitespace around the separators is ignored. Since {@code ; , !} and {@code >} never occur in a prefix or
 * an upstream, every separator is unambiguous.
 */
public final class RoutesProperty {

    /** The accepted syntax, as quoted in every error message. */
    public static final String SYNTAX = "routes separated by ';', each id=/prefix->upstream[,upstream...][!strip]"
            + " (id: 1-64 of A-Z a-z 0-9 . _ -; prefix: '/' or '/path' not ending in '/', without whitespace ; , ! ? # >;"
            + " upstream: absolute http:// or https:// URL without query, whitespace ; , !), e.g."
            + " api=/api->http://127.0.0.1:8081,http://127.0.0.1:8082;static=/assets->http://127.0.0.1:9000!strip";

    private static final String STRIP = "!strip";
    private static final Pattern ROUTE = Pattern.compile(
            "([A-Za-z0-9][A-Za-z0-9._-]{0,63})\\s*=\\s*(/[^\\s;,!?#>]*)\\s*->\\s*([^\\s;,!]+(?:\\s*,\\s*[^\\s;,!]+)*)\\s*(!strip)?");

    private final String property;

    /** A parser whose errors name {@code property} (the full name, e.g. {@code upstream-guard.routes}). */
    public RoutesProperty(String property) {
        this.property = property;
    }

    /**
     * The routes in {@code value}, each checked by {@link Route}; duplicates are left to {@link ProxyConfig}.
     *
     * @throws ConfigurationException naming the property, the bad route and {@link #SYNTAX}
     */
    public List<Route> parse(String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(property, value, "at least one route: " + SYNTAX);
        }
        List<Route> routes = new ArrayList<>();
        for (String text : value.split(";", -1)) {
            routes.add(parseRoute(text.trim()));
        }
        return routes;
    }

    private Route parseRoute(String text) {
        Matcher m = ROUTE.matcher(text);
        if (!m.matches()) {
            throw new ConfigurationException(property, masked(text), SYNTAX);
        }
        List<URI> upstreams = new ArrayList<>();
        for (String upstream : m.group(3).split(",")) {
            try {
                upstreams.add(new URI(upstream.trim()));
            } catch (URISyntaxException ex) {
                throw new ConfigurationException(property, masked(text), "a valid URL for every upstream ("
                        + ex.getReason() + "): " + SYNTAX);
            }
        }
        try {
            return new Route(m.group(1), m.group(2), upstreams, STRIP.equals(m.group(4)));
        } catch (IllegalArgumentException ex) {
            throw new ConfigurationException(property, masked(text), masked(ex.getMessage()) + "; " + SYNTAX);
        }
    }

    /** User info in a URL (a password) never reaches a message or a log. */
    static String masked(String text) {
        return text == null ? null : text.replaceAll("//[^@/\\s,;]*@", "//***@");
    }
}
