/**
 * Cluster-wide limits: {@link dev.upstreamguard.redis.RedisBucketBackend} keeps token buckets in Redis
 * through Bucket4j's Lettuce backend, so every gateway instance on the same Redis shares one limit. Lettuce
 * and {@code bucket4j_jdk17-lettuce} are optional dependencies, needed only by applications that use this
 * package; wrap the backend in a {@link dev.upstreamguard.core.limits.FailSafeBucketBackend} to decide what
 * happens while Redis is down or slow.
 */
package dev.upstreamguard.redis;
