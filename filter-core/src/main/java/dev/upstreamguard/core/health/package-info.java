/**
 * Rotation across a route's upstreams and passive health checking: {@link
 * dev.upstreamguard.core.health.UpstreamPool} chooses the next upstream and ejects those that fail
 * repeatedly, {@link dev.upstreamguard.core.health.FailureAttribution} decides which failures count,
 * {@link dev.upstreamguard.core.health.PassiveHealthPolicy} holds the settings. Framework-free and
 * non-blocking, with time injected as a nanosecond clock.
 */
package dev.upstreamguard.core.health;
