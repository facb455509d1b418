package dev.upstreamguard.jetty.metrics;

import dev.upstreamguard.core.CidrSet;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.PolicyBinder.PropertyInfo;
import dev.upstreamguard.jetty.JettyModuleConfiguration;
import dev.upstreamguard.jetty.UpstreamGuardModuleHandler;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.Server;

import java.util.HashMap;
import java.util.Map;

/**
 * Module {@code upstream-guard-metrics}: {@code etc/upstream-guard-metrics.xml} calls {@link #set(String, String)}
 * once per property it reads (an unset one arrives as {@code null}), then {@link #buildHandler(Server,
 * UpstreamGuardModuleHandler)} with the handler module {@code upstream-guard} built, and inserts the result in
 * front of the server's handlers. One Prometheus registry gets the guard's meters ({@link UpstreamGuardMetrics},
 * the same names and tags as the servlet filter and the gateway starter, with the gauges of every route), the JVM's (memory, GC, threads) and
 * the server thread pool's ({@link JettyServerThreadPoolMetrics}: {@code jetty.threads.*}).
 * Properties: {@link JettyModuleConfiguration#metricsProperties()}.
 */
public final class MetricsModuleConfiguration {

    private static final String PREFIX = JettyModuleConfiguration.PREFIX;
    private static final String PATH = PREFIX + "metrics.path";
    private static final String TRUSTED = PREFIX + "metrics.trusted-cidrs";
    private static final String STATUS_TRUSTED = PREFIX + "status-page.trusted-cidrs";

    private final Map<String, String> values = new HashMap<>();

    /** An empty configuration; fill it with {@link #set(String, String)}. */
    public MetricsModuleConfiguration() {
    }

    /**
     * Records one property; a {@code null} value (a property Jetty was not given) is skipped.
     *
     * @param property the full name, {@code upstream-guard.} included; {@code status-page.trusted-cidrs} is
     *                 the default of {@code metrics.trusted-cidrs}
     */
    public void set(String property, String value) {
        if (value != null) {
            values.put(property, value.trim());
        }
    }

    /**
     * The scrape handler, its registry bound to the JVM, {@code server}'s thread pool and {@code guard}'s events.
     *
     * @throws ConfigurationException naming the property, the value and what is accepted
     */
    public MetricsHandler buildHandler(Server server, UpstreamGuardModuleHandler guard) {
        String path = values.getOrDefault(PATH, JettyModuleConfiguration.DEFAULT_METRICS_PATH);
        String trustedKey = values.containsKey(TRUSTED) ? TRUSTED : STATUS_TRUSTED;
        CidrSet trusted = CidrSet.loopback();
        if (values.containsKey(trustedKey)) {
            try {
                trusted = CidrSet.parse(values.get(trustedKey));
            } catch (IllegalArgumentException ex) {
                throw new ConfigurationException(trustedKey, values.get(trustedKey),
                        info("metrics.trusted-cidrs").accepted() + " (" + ex.getMessage() + ")");
            }
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsHandler handler;
        try {
            handler = new MetricsHandler(path, registry, trusted);
        } catch (IllegalArgumentException ex) {
            registry.close();
            throw new ConfigurationException(PATH, path, info("metrics.path").accepted()
                    + " (segments of A-Z a-z 0-9 . _ ~ -, not ending with '/')");
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        handler.closeOnStop(gc);
        new JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty()).bindTo(registry);
        UpstreamGuardMetrics metrics = new UpstreamGuardMetrics(registry);
        guard.addListener(metrics);
        metrics.bindLimitBackend(guard.proxy().guard().bucketBackend());
        guard.proxy().routeGuards().forEach(metrics::bindRoute);
        return handler;
    }

    private static PropertyInfo info(String key) {
        return JettyModuleConfiguration.metricsProperties().stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow();
    }
}
