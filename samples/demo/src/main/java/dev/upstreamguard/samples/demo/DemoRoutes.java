package dev.upstreamguard.samples.demo;

import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Scenario;

import java.net.URI;
import java.util.List;

/**
 * The routes every proxy of the demo has, one per kind of scenario target: {@code /fault/...} to the
 * misbehaving upstream, {@code /refused}, {@code /connect-timeout} and {@code /dns-error} to the test kit's
 * failing addresses (the path is sent on unchanged).
 */
final class DemoRoutes {

    /** One route: requests under {@code prefix} go to {@code upstream} (scheme, host and port only). */
    record DemoRoute(String id, String prefix, URI upstream) {
    }

    private DemoRoutes() {
    }

    static List<DemoRoute> of(MisbehavingUpstream upstream) {
        return List.of(
                new DemoRoute("faults", "/fault", upstream.baseUri()),
                new DemoRoute("refused", "/refused", base(upstream.refusedUri())),
                new DemoRoute("connect-timeout", "/connect-timeout", base(upstream.connectTimeoutUri())),
                new DemoRoute("dns-error", "/dns-error", base(MisbehavingUpstream.unresolvableUri())));
    }

    /** The proxy path that reaches {@code scenario}'s target. */
    static String pathOf(Scenario scenario) {
        return switch (scenario.target()) {
            case FAULT_PATH -> scenario.fault().path();
            case REFUSED -> "/refused";
            case CONNECT_TIMEOUT -> "/connect-timeout";
            case UNRESOLVABLE -> "/dns-error";
        };
    }

    private static URI base(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }
}
