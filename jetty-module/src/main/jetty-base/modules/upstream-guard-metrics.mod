# Upstream Guard: Micrometer meters scraped by Prometheus.
#   java -jar $JETTY_HOME/start.jar --add-modules=upstream-guard-metrics

[description]
Serves the guard's meters (failures by RFC 9209 error type, retries, ejections, admission refusals), the JVM's
(memory, GC, threads) and the server thread pool's as Prometheus text at upstream-guard.metrics.path, to the
trusted addresses of upstream-guard.metrics.trusted-cidrs only (like the status page: others get a 404).

[tags]
handler
proxy

[depend]
upstream-guard

[lib]
lib/upstream-guard-metrics/*.jar

[xml]
etc/upstream-guard-metrics.xml

[files]
maven://dev.upstreamguard/upstream-guard-jetty/0.1.0-SNAPSHOT/jar/jetty-metrics-lib|lib/upstream-guard-metrics/upstream-guard-jetty-0.1.0-SNAPSHOT-jetty-metrics-lib.jar
maven://io.micrometer/micrometer-core/1.16.6|lib/upstream-guard-metrics/micrometer-core-1.16.6.jar
maven://io.micrometer/micrometer-registry-prometheus/1.16.6|lib/upstream-guard-metrics/micrometer-registry-prometheus-1.16.6.jar
maven://org.jspecify/jspecify/1.0.0|lib/upstream-guard-metrics/jspecify-1.0.0.jar
maven://io.micrometer/micrometer-commons/1.16.6|lib/upstream-guard-metrics/micrometer-commons-1.16.6.jar
maven://io.micrometer/micrometer-observation/1.16.6|lib/upstream-guard-metrics/micrometer-observation-1.16.6.jar
maven://org.hdrhistogram/HdrHistogram/2.2.2|lib/upstream-guard-metrics/HdrHistogram-2.2.2.jar
maven://org.latencyutils/LatencyUtils/2.0.3|lib/upstream-guard-metrics/LatencyUtils-2.0.3.jar
maven://io.prometheus/prometheus-metrics-core/1.4.3|lib/upstream-guard-metrics/prometheus-metrics-core-1.4.3.jar
maven://io.prometheus/prometheus-metrics-tracer-common/1.4.3|lib/upstream-guard-metrics/prometheus-metrics-tracer-common-1.4.3.jar
maven://io.prometheus/prometheus-metrics-exposition-formats/1.4.3|lib/upstream-guard-metrics/prometheus-metrics-exposition-formats-1.4.3.jar
maven://io.prometheus/prometheus-metrics-model/1.4.3|lib/upstream-guard-metrics/prometheus-metrics-model-1.4.3.jar
maven://io.prometheus/prometheus-metrics-config/1.4.3|lib/upstream-guard-metrics/prometheus-metrics-config-1.4.3.jar
maven://io.prometheus/prometheus-metrics-exposition-textformats/1.4.3|lib/upstream-guard-metrics/prometheus-metrics-exposition-textformats-1.4.3.jar
maven://dev.upstreamguard/upstream-guard-jetty/0.1.0-SNAPSHOT/xml/upstream-guard-metrics|etc/upstream-guard-metrics.xml

[license]
Upstream Guard is licensed under the Apache License, Version 2.0:
  https://www.apache.org/licenses/LICENSE-2.0
This module also downloads these libraries, each under its own licence
(texts: licenses/upstream-guard/ of the jetty-base distribution):
  micrometer-core 1.16.6 (Micrometer): Apache License, Version 2.0
  micrometer-registry-prometheus 1.16.6 (Micrometer): Apache License, Version 2.0
  jspecify 1.0.0 (JSpecify): Apache License, Version 2.0
  micrometer-commons 1.16.6 (Micrometer): Apache License, Version 2.0
  micrometer-observation 1.16.6 (Micrometer): Apache License, Version 2.0
  HdrHistogram 2.2.2 (HdrHistogram): Public Domain (CC0 1.0) or BSD 2-Clause License
  LatencyUtils 2.0.3 (LatencyUtils): Public Domain (CC0 1.0)
  prometheus-metrics-core 1.4.3 (Prometheus Java client): Apache License, Version 2.0
  prometheus-metrics-tracer-common 1.4.3 (Prometheus Java client): Apache License, Version 2.0
  prometheus-metrics-exposition-formats 1.4.3 (Prometheus Java client): Apache License, Version 2.0
  prometheus-metrics-model 1.4.3 (Prometheus Java client): Apache License, Version 2.0
  prometheus-metrics-config 1.4.3 (Prometheus Java client): Apache License, Version 2.0
  prometheus-metrics-exposition-textformats 1.4.3 (Prometheus Java client): Apache License, Version 2.0

[ini-template]
## Upstream Guard metrics: every property with its default, commented out (meters: root README, "Metrics").

## Where the Prometheus scrape text is served (module upstream-guard-metrics).
## accepted: an absolute path such as /upstream-guard/metrics
# upstream-guard.metrics.path=/upstream-guard/metrics

## Clients that may scrape the metrics; everyone else gets a plain 404.
## accepted: a comma-separated list of IPv4/IPv6 addresses or CIDR blocks
## default: (those of status-page.trusted-cidrs)
# upstream-guard.metrics.trusted-cidrs=

