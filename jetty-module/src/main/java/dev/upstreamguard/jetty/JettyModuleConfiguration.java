package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.core.policy.PolicyBinder.PropertyInfo;
import dev.upstreamguard.redis.LimitBackends;
import dev.upstreamguard.status.FailureHistory;
import dev.upstreamguard.status.StatusRegistry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Jetty module's configuration: every {@code upstream-guard.*} property, as strings, turned into the
 * guarded proxy. {@code etc/upstream-guard.xml} calls {@link #set(String, String)} once per known property
 * (an unset property arrives as {@code null} and is skipped), then {@link #buildHandler()}; embedders can
 * call {@link #handler(Map)} with the same keys.
 *
 * <p>The core keys ({@link PolicyBinder#properties()}) are bound by {@link PolicyBinder}; the module's own
 * keys are the routes ({@link RoutesProperty}), the per-route policies ({@link RoutePolicyProperty}), the
 * per-phase timeouts ({@link TimeoutsProperties}), the {@code Via} pseudonym, the connection pool limits, the
 * trusted proxies, the status page and TLS to upstreams ({@link UpstreamTlsProperties}). Every invalid value and every unknown
 * {@code upstream-guard.*} key fails with a {@link ConfigurationException} naming the full property and what
 * it accepts, which stops Jetty's start.
 */
public final class JettyModuleConfiguration {

    /** The prefix of every property of the module. */
    public static final String PREFIX = "upstream-guard.";

    private static final String ROUTES = "routes";
    private static final String ROUTE_POLICY = "route-policy";
    private static final String VIA = "via-pseudonym";
    private static final String MAX_CONNECTIONS = "max-connections-per-upstream";
    private static final String MAX_QUEUED = "max-queued-per-upstream";
    private static final String TRUSTED_PROXIES = "forwarded.trusted-proxies";
    private static final String STATUS_ENABLED = "status-page.enabled";
    private static final String STATUS_PATH = "status-page.path";
    private static final String STATUS_TRUSTED = "status-page.trusted-cidrs";
    private static final String STATUS_PATTERN = "status.<error-type>";
    /** The default of {@code upstream-guard.metrics.path} (module {@code upstream-guard-metrics}): {@value}. */
    public static final String DEFAULT_METRICS_PATH = "/upstream-guard/metrics";

    /** The routes' keys (without prefix); then {@link TimeoutsProperties}', the rest, {@link UpstreamTlsProperties}'. */
    private static final List<PropertyInfo> ROUTE_PROPERTIES = List.of(
            new PropertyInfo(ROUTES, "(none, required)", RoutesProperty.SYNTAX,
                    "The routes: path prefix to upstream URLs, several upstreams rotate; !strip removes the prefix."),
            new PropertyInfo(ROUTE_POLICY, "(none: every route has the global policy)", RoutePolicyProperty.SYNTAX,
                    "Per-route policy: core keys bound on top of the global policy for one route, e.g. its retries."));

    private static final List<PropertyInfo> MODULE_PROPERTIES = List.of(
            new PropertyInfo(VIA, "(random: upstream-guard-<8 hex digits>)", "an HTTP token of 1-64 characters",
                    "Our received-by in Via (RFC 9110 §7.6.3); a request that already carries it is a loop."),
            new PropertyInfo(MAX_CONNECTIONS, String.valueOf(ProxyConfig.DEFAULT_MAX_CONNECTIONS_PER_UPSTREAM),
                    "a whole number from 1 up", "Connection pool size per upstream."),
            new PropertyInfo(MAX_QUEUED, String.valueOf(ProxyConfig.DEFAULT_MAX_QUEUED_PER_UPSTREAM),
                    "a whole number from 1 up",
                    "Requests waiting for a connection per upstream before connection_limit_reached (503)."),
            new PropertyInfo(TRUSTED_PROXIES, "(none)",
                    "a comma-separated list of IPv4/IPv6 addresses or CIDR blocks (no host names)",
                    "Proxies in front whose Forwarded and X-Forwarded-* fields are kept and extended; from any other"
                            + " client they are replaced with what this proxy saw."),
            new PropertyInfo(STATUS_ENABLED, "true", "true or false",
                    "The operator's status page (upstream health, failures by type over 15 minutes, last failures)."),
            new PropertyInfo(STATUS_PATH, StatusHandler.DEFAULT_PATH, "an absolute path such as /upstream-guard/status",
                    "Where the status page is served (HTML; .json or Accept: application/json for JSON)."),
            new PropertyInfo(STATUS_TRUSTED, "127.0.0.0/8,::1/128",
                    "a comma-separated list of IPv4/IPv6 addresses or CIDR blocks",
                    "Clients that may see the status page; everyone else gets a plain 404."));

    /** The keys of module upstream-guard-metrics: read by its own XML, known here for the misspelt-key check. */
    private static final List<PropertyInfo> METRICS_PROPERTIES = List.of(
            new PropertyInfo("metrics.path", DEFAULT_METRICS_PATH, "an absolute path such as " + DEFAULT_METRICS_PATH,
                    "Where the Prometheus scrape text is served (module upstream-guard-metrics)."),
            new PropertyInfo("metrics.trusted-cidrs", "(those of status-page.trusted-cidrs)",
                    "a comma-separated list of IPv4/IPv6 addresses or CIDR blocks",
                    "Clients that may scrape the metrics; everyone else gets a plain 404."));

    private static final List<PropertyInfo> OWN_PROPERTIES = concat(ROUTE_PROPERTIES, TimeoutsProperties.PROPERTIES,
            MODULE_PROPERTIES, UpstreamTlsProperties.PROPERTIES);
    private static final Set<String> MODULE_KEYS = OWN_PROPERTIES.stream().map(PropertyInfo::key)
            .collect(Collectors.toUnmodifiableSet());

    private final Map<String, String> values = new LinkedHashMap<>();
    private Path jettyBase;

    /** An empty configuration; fill it with {@link #set(String, String)}. */
    public JettyModuleConfiguration() {
    }

    /**
     * Every property the module knows, full names without the prefix, in documentation order: the module's
     * own keys, then the core's, with {@code status.<error-type>} expanded to one key per RFC 9209 type.
     * The XML, the ini template and the README are checked against this list.
     */
    public static List<PropertyInfo> properties() {
        List<PropertyInfo> all = new ArrayList<>(OWN_PROPERTIES);
        for (PropertyInfo info : PolicyBinder.properties()) {
            if (!info.key().equals(STATUS_PATTERN)) {
                all.add(info);
            }
        }
        for (ErrorType type : ErrorType.values()) {
            boolean request = type == ErrorType.HTTP_REQUEST_ERROR || type == ErrorType.HTTP_REQUEST_DENIED;
            all.add(new PropertyInfo("status." + type.token(), String.valueOf(type.recommendedStatus()),
                    request ? "a status from 400 to 599" : "a status from 500 to 599",
                    "Status answered for " + type.token() + "."));
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * The properties of module {@code upstream-guard-metrics}, without the prefix, in documentation order;
     * its XML and ini template are checked against this list. Not in {@link #properties()}: the main
     * module's XML does not read them.
     */
    public static List<PropertyInfo> metricsProperties() {
        return METRICS_PROPERTIES;
    }

    /**
     * Records one property; a {@code null} value (a property Jetty was not given) is skipped.
     *
     * @param property the full name, {@code upstream-guard.} included
     */
    public void set(String property, String value) {
        if (value != null) {
            values.put(property, value);
        }
    }

    /**
     * The Jetty base directory, whose {@code start.ini} and {@code start.d/*.ini} (and this JVM's command
     * line) {@link #buildHandler()} searches for misspelt {@code upstream-guard.*} keys: Jetty XML reads only
     * the properties it names, so nothing else would notice them. {@code null} skips the search.
     */
    public void setJettyBase(String directory) {
        this.jettyBase = directory == null ? null : Path.of(directory);
    }

    /**
     * The guarded proxy as a wrapper for {@code Server#insertHandler}: unmatched paths go to the next handler.
     *
     * @throws ConfigurationException for the first invalid value or unknown key
     */
    public UpstreamGuardModuleHandler buildHandler() {
        if (jettyBase != null) {
            PropertySources.keys(jettyBase, PropertySources.thisProcessArguments())
                    .forEach((key, where) -> rejectUnknown(key, null, " (set " + where + ")", true));
        }
        Map<String, String> own = own(values);
        String enabled = own.getOrDefault(PREFIX + STATUS_ENABLED, "true");
        if (!enabled.matches("(?i)true|false")) {
            throw new ConfigurationException(PREFIX + STATUS_ENABLED, enabled, info(STATUS_ENABLED).accepted());
        }
        boolean statusPage = Boolean.parseBoolean(enabled);
        FailureHistory history = statusPage ? new FailureHistory() : null;
        AddedListeners added = new AddedListeners();
        GuardedProxyHandler proxy = handler(values, history == null ? added : GuardListeners.of(List.of(history, added)));
        StatusHandler status = null;
        if (statusPage) {
            String path = own.getOrDefault(PREFIX + STATUS_PATH, StatusHandler.DEFAULT_PATH);
            if (!path.matches("/[A-Za-z0-9._~/-]*")) {
                throw new ConfigurationException(PREFIX + STATUS_PATH, path, info(STATUS_PATH).accepted());
            }
            CidrSet trusted = ModuleValues.cidrs(own, PREFIX + STATUS_TRUSTED, info(STATUS_TRUSTED), CidrSet.loopback());
            StatusRegistry registry = new StatusRegistry(history);
            for (Route route : proxy.config().routes()) {
                registry.register(proxy.upstreamPool(route.id()));
            }
            status = new StatusHandler(path, registry, trusted);
        }
        return new UpstreamGuardModuleHandler(proxy, status, added);
    }

    private static Map<String, String> own(Map<String, String> properties) {
        Map<String, String> own = new TreeMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey().startsWith(PREFIX) && e.getValue() != null) {
                own.put(e.getKey(), e.getValue().trim());
            }
        }
        return own;
    }

    /**
     * The guarded proxy for {@code properties}; keys outside {@link #PREFIX} are ignored.
     *
     * @throws ConfigurationException for the first invalid value or unknown key
     */
    public static GuardedProxyHandler handler(Map<String, String> properties) {
        return handler(properties, null);
    }

    /** Like {@link #handler(Map)}, with one more listener on the guard (e.g. the status page's history). */
    static GuardedProxyHandler handler(Map<String, String> properties, GuardListener extraListener) {
        Map<String, String> own = own(properties);
        own.forEach((key, value) -> rejectUnknown(key, value, "", false));
        GuardPolicy policy = PolicyBinder.bind(own, PREFIX, MODULE_KEYS::contains);
        UpstreamGuard guard;
        UpstreamGuard.Builder guardBuilder = UpstreamGuard.builder().policy(policy)
                .bucketBackend(LimitBackends.forPolicy(policy.limitsBackend(), PREFIX,
                        "the upstream-guard-redis module (java -jar $JETTY_HOME/start.jar --add-modules=upstream-guard-redis)"));
        if (extraListener != null) {
            guardBuilder.addListener(extraListener);
        }
        guard = guardBuilder.build();
        UpstreamGuardProxy.Builder builder = UpstreamGuardProxy.builder().guard(guard)
                .timeouts(TimeoutsProperties.parse(own, PREFIX)).tls(UpstreamTlsProperties.parse(own, PREFIX));
        String routes = own.get(PREFIX + ROUTES);
        List<Route> parsed = new RoutesProperty(PREFIX + ROUTES).parse(routes);
        Map<String, GuardPolicy> routePolicies = new RoutePolicyProperty(PREFIX + ROUTE_POLICY).parse(
                own.get(PREFIX + ROUTE_POLICY), parsed.stream().map(Route::id).toList(), policy);
        parsed.forEach(route -> builder.route(route.withPolicy(routePolicies.get(route.id()))));
        if (own.containsKey(PREFIX + VIA)) {
            builder.viaPseudonym(own.get(PREFIX + VIA));
        }
        builder.maxConnectionsPerUpstream(ModuleValues.positiveInt(own, PREFIX + MAX_CONNECTIONS, info(MAX_CONNECTIONS)));
        builder.maxQueuedPerUpstream(ModuleValues.positiveInt(own, PREFIX + MAX_QUEUED, info(MAX_QUEUED)));
        builder.trustedProxies(
                ModuleValues.cidrs(own, PREFIX + TRUSTED_PROXIES, info(TRUSTED_PROXIES), CidrSet.empty()));
        try {
            return builder.build();
        } catch (IllegalArgumentException ex) {   // what ProxyConfig checks across routes, or the pseudonym
            String message = RoutesProperty.masked(ex.getMessage());
            if (message != null && message.startsWith("via pseudonym")) {
                throw new ConfigurationException(PREFIX + VIA, own.get(PREFIX + VIA), info(VIA).accepted());
            }
            throw new ConfigurationException(PREFIX + ROUTES, RoutesProperty.masked(routes),
                    "routes with unique ids and path prefixes (" + message + "): " + RoutesProperty.SYNTAX);
        }
    }

    /**
     * Fails for a key under the prefix that is neither the module's nor the core's (nor, when
     * {@code metricsToo}, module upstream-guard-metrics').
     */
    private static void rejectUnknown(String property, String value, String where, boolean metricsToo) {
        String key = property.substring(PREFIX.length());
        List<PropertyInfo> known = metricsToo ? concat(properties(), METRICS_PROPERTIES) : properties();
        if (known.stream().noneMatch(p -> p.key().equals(key))) {
            throw new ConfigurationException(property, value, "no such property" + where + "; known: "
                    + known.stream().map(p -> PREFIX + p.key()).collect(Collectors.joining(", ")));
        }
    }

    @SafeVarargs
    private static List<PropertyInfo> concat(List<PropertyInfo>... lists) {
        List<PropertyInfo> all = new ArrayList<>();
        for (List<PropertyInfo> list : lists) {
            all.addAll(list);
        }
        return List.copyOf(all);
    }

    private static PropertyInfo info(String key) {
        return MODULE_PROPERTIES.stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }
}
