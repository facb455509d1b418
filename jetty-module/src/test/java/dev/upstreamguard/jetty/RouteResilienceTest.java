package dev.upstreamguard.jetty;

import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.health.Upstream;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RouteResilienceTest {

    @Test
    void upstreamIdsCountTheRoutesUrlsFromOne() {
        Route route = Route.of("orders", "/orders", List.of(URI.create("http://127.0.0.1:8081"),
                URI.create("http://127.0.0.1:8082/base")));

        RouteResilience parts = RouteResilience.of(route, UpstreamGuard.withDefaults());

        assertThat(parts.pool().upstreams()).extracting(Upstream::id).containsExactly("orders-1", "orders-2");
        assertThat(parts.pool().upstreams()).extracting(Upstream::uri).containsExactlyElementsOf(route.upstreams());
        assertThat(parts.retrier().policy()).isEqualTo(UpstreamGuard.withDefaults().policy().retry());
    }

    @Test
    void aLongRouteIdIsCutSoThatTheUpstreamIdFits() {
        String longId = "r".repeat(64);

        String id = RouteResilience.upstreamId(longId, 12);

        assertThat(id).isEqualTo("r".repeat(RouteResilience.MAX_ID_PREFIX) + "-12");
        assertThat(new Upstream(id, URI.create("http://127.0.0.1:1")).id()).hasSizeLessThanOrEqualTo(64);
    }
}
