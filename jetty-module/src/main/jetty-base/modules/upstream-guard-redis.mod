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

[files]
maven://com.bucket4j/bucket4j_jdk17-lettuce/8.19.0|lib/upstream-guard-redis/bucket4j_jdk17-lettuce-8.19.0.jar
maven://io.lettuce/lettuce-core/6.8.2.RELEASE|lib/upstream-guard-redis/lettuce-core-6.8.2.RELEASE.jar
maven://com.bucket4j/bucket4j_jdk17-redis-common/8.19.0|lib/upstream-guard-redis/bucket4j_jdk17-redis-common-8.19.0.jar
maven://redis.clients.authentication/redis-authx-core/0.1.1-beta2|lib/upstream-guard-redis/redis-authx-core-0.1.1-beta2.jar
maven://io.netty/netty-common/4.2.15.Final|lib/upstream-guard-redis/netty-common-4.2.15.Final.jar
maven://io.netty/netty-handler/4.2.15.Final|lib/upstream-guard-redis/netty-handler-4.2.15.Final.jar
maven://io.netty/netty-transport/4.2.15.Final|lib/upstream-guard-redis/netty-transport-4.2.15.Final.jar
maven://io.projectreactor/reactor-core/3.8.6|lib/upstream-guard-redis/reactor-core-3.8.6.jar
maven://io.netty/netty-resolver-dns/4.2.15.Final|lib/upstream-guard-redis/netty-resolver-dns-4.2.15.Final.jar
maven://io.netty/netty-resolver/4.2.15.Final|lib/upstream-guard-redis/netty-resolver-4.2.15.Final.jar
maven://io.netty/netty-buffer/4.2.15.Final|lib/upstream-guard-redis/netty-buffer-4.2.15.Final.jar
maven://io.netty/netty-transport-native-unix-common/4.2.15.Final|lib/upstream-guard-redis/netty-transport-native-unix-common-4.2.15.Final.jar
maven://io.netty/netty-codec-base/4.2.15.Final|lib/upstream-guard-redis/netty-codec-base-4.2.15.Final.jar
maven://org.reactivestreams/reactive-streams/1.0.4|lib/upstream-guard-redis/reactive-streams-1.0.4.jar
maven://org.jspecify/jspecify/1.0.0|lib/upstream-guard-redis/jspecify-1.0.0.jar
maven://io.netty/netty-codec-dns/4.2.15.Final|lib/upstream-guard-redis/netty-codec-dns-4.2.15.Final.jar

[license]
Upstream Guard is licensed under the Apache License, Version 2.0:
  https://www.apache.org/licenses/LICENSE-2.0
This module also downloads these libraries, each under its own licence
(texts: licenses/upstream-guard/ of the jetty-base distribution):
  bucket4j_jdk17-lettuce 8.19.0 (Bucket4j): Apache License, Version 2.0
  lettuce-core 6.8.2.RELEASE (Lettuce): MIT License
  bucket4j_jdk17-redis-common 8.19.0 (Bucket4j): Apache License, Version 2.0
  redis-authx-core 0.1.1-beta2 (Redis authx core): MIT License
  netty-common 4.2.15.Final (Netty): Apache License, Version 2.0
  netty-handler 4.2.15.Final (Netty): Apache License, Version 2.0
  netty-transport 4.2.15.Final (Netty): Apache License, Version 2.0
  reactor-core 3.8.6 (Project Reactor): Apache License, Version 2.0
  netty-resolver-dns 4.2.15.Final (Netty): Apache License, Version 2.0
  netty-resolver 4.2.15.Final (Netty): Apache License, Version 2.0
  netty-buffer 4.2.15.Final (Netty): Apache License, Version 2.0
  netty-transport-native-unix-common 4.2.15.Final (Netty): Apache License, Version 2.0
  netty-codec-base 4.2.15.Final (Netty): Apache License, Version 2.0
  reactive-streams 1.0.4 (Reactive Streams): MIT No Attribution (MIT-0)
  jspecify 1.0.0 (JSpecify): Apache License, Version 2.0
  netty-codec-dns 4.2.15.Final (Netty): Apache License, Version 2.0

[ini-template]
## Redis for the limits (see upstream-guard.ini for every property):
# upstream-guard.limits.backend=redis
# upstream-guard.limits.redis.uri=redis://127.0.0.1:6379
# upstream-guard.limits.redis.failure-mode=allow
