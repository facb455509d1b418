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

[ini-template]
## Upstream Guard metrics: every property with its default, commented out (meters: root README, "Metrics").

## Where the Prometheus scrape text is served (module upstream-guard-metrics).
## accepted: an absolute path such as /upstream-guard/metrics
# upstream-guard.metrics.path=/upstream-guard/metrics

## Clients that may scrape the metrics; everyone else gets a plain 404.
## accepted: a comma-separated list of IPv4/IPv6 addresses or CIDR blocks
## default: (those of status-page.trusted-cidrs)
# upstream-guard.metrics.trusted-cidrs=

