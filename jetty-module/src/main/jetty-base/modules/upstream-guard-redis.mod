# Upstream Guard: Redis client libraries for limits shared by every Jetty instance.
# Enable it only with upstream-guard.limits.backend=redis:
#   java -jar $JETTY_HOME/start.jar --add-modules=upstream-guard-redis

[description]
Puts the Redis client (Lettuce, Netty, Reactor) and Bucket4j's Redis integration on the server classpath,
so that upstream-guard.limits.backend=redis keeps rate-limit and retry-budget buckets in Redis.
Requires upstream-guard.limits.redis.uri and upstream-guard.limits.redis.failure-mode.

[tags]
handler
proxy

[depend]
upstream-guard

[lib]
lib/upstream-guard-redis/*.jar

[ini-template]
## Redis for the limits (see upstream-guard.ini for every property):
# upstream-guard.limits.backend=redis
# upstream-guard.limits.redis.uri=redis://127.0.0.1:6379
# upstream-guard.limits.redis.failure-mode=allow
