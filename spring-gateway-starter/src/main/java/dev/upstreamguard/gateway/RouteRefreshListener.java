package dev.upstreamguard.gateway;

import dev.upstreamguard.core.lifecycle.RouteGuards;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ApplicationListener;

/**
 * After the gateway refreshed its routes ({@code RefreshRoutesEvent}), releases the guards — limits,
 * budgets, pools — of routes that are gone. Routes that stay keep theirs: a route guard is kept by route id
 * as long as its policy and timeout are unchanged, so a refresh never resets a route's limits.
 */
public class RouteRefreshListener implements ApplicationListener<RefreshRoutesResultEvent> {

    private final RouteGuards guards;

    /** A listener trimming {@code guards} to the routes of each successful refresh. */
    public RouteRefreshListener(RouteGuards guards) {
        this.guards = guards;
    }

    @Override
    public void onApplicationEvent(RefreshRoutesResultEvent event) {
        if (event.isSuccess() && event.getSource() instanceof RouteLocator locator) {
            locator.getRoutes().map(Route::getId).collectList().subscribe(guards::retainOnly);
        }
    }
}
