package dev.upstreamguard.spring;

import java.util.List;

/**
 * What a Spring packaging of Upstream Guard (the servlet starter, the gateway starter) adds to the beans they
 * share ({@link UpstreamGuardSharedConfiguration}): its own keys under {@code upstream-guard.} beside the shared
 * ones (so the check for unknown keys accepts them), and the routes the status page shows from the start.
 *
 * @param keys         the packaging's own keys, relative to {@code upstream-guard.} (e.g. {@code filter.order})
 * @param statusRoutes route ids the status page lists before any request (e.g. the servlet filter's route)
 */
public record UpstreamGuardPackaging(List<String> keys, List<String> statusRoutes) {

    /** Copies both lists. */
    public UpstreamGuardPackaging {
        keys = List.copyOf(keys);
        statusRoutes = List.copyOf(statusRoutes);
    }
}
