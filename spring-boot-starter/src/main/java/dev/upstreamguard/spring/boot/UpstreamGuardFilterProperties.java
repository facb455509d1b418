package dev.upstreamguard.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code upstream-guard.filter.*}: where the servlet filter sits. The guard's own settings are the shared
 * {@code upstream-guard.*} properties ({@link dev.upstreamguard.spring.UpstreamGuardProperties}).
 */
@ConfigurationProperties(prefix = UpstreamGuardFilterProperties.PREFIX)
public class UpstreamGuardFilterProperties {
    /** The property prefix. */
    public static final String PREFIX = "upstream-guard.filter";

    /** URL patterns the filter is mapped to. */
    private List<String> urlPatterns = new ArrayList<>(List.of("/*"));
    /** The filter's order; the default (highest precedence + 10) is outside Spring Security and Spring MVC, so it sees what they let escape. */
    private int order = -2147483638;
    /** The route id the guard's events, meters and status page carry. */
    private String routeId = "default";

    public List<String> getUrlPatterns() {
        return urlPatterns;
    }

    public void setUrlPatterns(List<String> urlPatterns) {
        this.urlPatterns = urlPatterns;
    }

    public int getOrder() {
        return order;
    }

    public void setOrder(int order) {
        this.order = order;
    }

    public String getRouteId() {
        return routeId;
    }

    public void setRouteId(String routeId) {
        this.routeId = routeId;
    }
}
