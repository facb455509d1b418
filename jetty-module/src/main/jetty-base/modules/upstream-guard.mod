# Upstream Guard for Jetty 12.1. With this file in $JETTY_BASE/modules/ (or the jetty-base distribution unpacked
# into $JETTY_BASE, which already holds every file of [files]):
#   java -jar $JETTY_HOME/start.jar --add-modules=http,upstream-guard
# start.jar downloads what [files] lists and is missing (maven.repo.uri: another repository).
# Property reference: README of upstream-guard-jetty. [files] and [license] are generated from the resolved
# dependencies and checked by ModuleFilesDriftTest.

[description]
A guarded reverse proxy on Jetty core: routes by path prefix to upstream URLs and answers every upstream
failure with the right 5xx, an RFC 9209 Proxy-Status member and RFC 9457 problem details.
Set at least upstream-guard.routes. Cluster-wide limits on Redis: also enable upstream-guard-redis.

[tags]
handler
proxy

[depend]
server
client
proxy

[lib]
lib/upstream-guard/*.jar

[xml]
etc/upstream-guard.xml

[files]
maven://dev.upstreamguard/upstream-guard-jetty/0.1.0-SNAPSHOT/jar/jetty-lib|lib/upstream-guard/upstream-guard-jetty-0.1.0-SNAPSHOT-jetty-lib.jar
maven://com.bucket4j/bucket4j_jdk17-core/8.19.0|lib/upstream-guard/bucket4j_jdk17-core-8.19.0.jar
maven://dev.upstreamguard/upstream-guard-jetty/0.1.0-SNAPSHOT/xml/upstream-guard|etc/upstream-guard.xml

[license]
Upstream Guard is licensed under the Apache License, Version 2.0:
  https://www.apache.org/licenses/LICENSE-2.0
This module also downloads these libraries, each under its own licence
(texts: licenses/upstream-guard/ of the jetty-base distribution):
  bucket4j_jdk17-core 8.19.0 (Bucket4j): Apache License, Version 2.0

[ini-template]
## Upstream Guard: every property with its default, commented out. Invalid values and unknown
## upstream-guard.* keys stop the start with the property name and what it accepts.

## The routes: path prefix to upstream URLs, several upstreams rotate; !strip removes the prefix.
## accepted: routes separated by ';', each id=/prefix->upstream[,upstream...][!strip] (id: 1-64 of A-Z a-z 0-9 . _ -; prefix: '/' or '/path' not ending in '/', without whitespace ; , ! ? # >; upstream: absolute http:// or https:// URL without query, whitespace ; , !), e.g. api=/api->http://127.0.0.1:8081,http://127.0.0.1:8082;static=/assets->http://127.0.0.1:9000!strip
## default: (none, required)
# upstream-guard.routes=

## Per-route policy: core keys bound on top of the global policy for one route, e.g. its retries.
## accepted: entries separated by ';', each <route id>.<core key>=<value> for a route of upstream-guard.routes and any core key except limits.*, validation.obs-fold and validation.content-length-with-transfer-encoding (percent-encode a ';' in a URL), e.g. api.retry.conditions=connect-failure,reset;api.retry.max-attempts=3
## default: (none: every route has the global policy)
# upstream-guard.route-policy=

## Name resolution of an upstream host (dns_timeout, 504).
## accepted: a positive duration such as 500ms, 5s, 2m or PT5S
# upstream-guard.timeouts.resolve=5s

## TCP connect to an upstream (connection_timeout, 504).
## accepted: a positive duration such as 500ms, 5s, 2m or PT5S
# upstream-guard.timeouts.connect=5s

## TLS handshake with an https upstream (connection_timeout, 504).
## accepted: a positive duration such as 500ms, 5s, 2m or PT5S
# upstream-guard.timeouts.tls=10s

## From the request sent to the complete response head (http_response_timeout, 504).
## accepted: a positive duration such as 500ms, 5s, 2m or PT5S, not above timeouts.idle
# upstream-guard.timeouts.response-head=30s

## No byte on the upstream connection once the body flows (connection_read_timeout).
## accepted: a positive duration such as 500ms, 5s, 2m or PT5S, not below timeouts.response-head
# upstream-guard.timeouts.idle=60s

## The whole exchange, body included.
## accepted: 0 (none) or a positive duration such as 30s, 2m or PT1M
# upstream-guard.timeouts.total=0

## Our received-by in Via (RFC 9110 §7.6.3); a request that already carries it is a loop.
## accepted: an HTTP token of 1-64 characters
## default: (random: upstream-guard-<8 hex digits>)
# upstream-guard.via-pseudonym=

## Connection pool size per upstream.
## accepted: a whole number from 1 up
# upstream-guard.max-connections-per-upstream=64

## Requests waiting for a connection per upstream before connection_limit_reached (503).
## accepted: a whole number from 1 up
# upstream-guard.max-queued-per-upstream=1024

## Proxies in front whose Forwarded and X-Forwarded-* fields are kept and extended; from any other client they are replaced with what this proxy saw.
## accepted: a comma-separated list of IPv4/IPv6 addresses or CIDR blocks (no host names)
## default: (none)
# upstream-guard.forwarded.trusted-proxies=

## The operator's status page (upstream health, failures by type over 15 minutes, last failures).
## accepted: true or false
# upstream-guard.status-page.enabled=true

## Where the status page is served (HTML; .json or Accept: application/json for JSON).
## accepted: an absolute path such as /upstream-guard/status
# upstream-guard.status-page.path=/upstream-guard/status

## Clients that may see the status page; everyone else gets a plain 404.
## accepted: a comma-separated list of IPv4/IPv6 addresses or CIDR blocks
# upstream-guard.status-page.trusted-cidrs=127.0.0.0/8,::1/128

## Certificates an https upstream's chain must end in, e.g. a private CA (instead of the JVM's).
## accepted: the path of a readable key store file (relative: to the working directory)
## default: (none: the JVM's trust store)
# upstream-guard.tls.trust-store.path=

## Password of tls.trust-store.path, if it has one.
## accepted: the trust store's password (never shown in messages)
## default: (none)
# upstream-guard.tls.trust-store.password=

## Type of tls.trust-store.path.
## accepted: PKCS12 or JKS (any key store type of the JVM)
# upstream-guard.tls.trust-store.type=PKCS12

## Client certificate and private key presented to upstreams that ask for one (mutual TLS).
## accepted: the path of a readable key store file (relative: to the working directory)
## default: (none: no client certificate)
# upstream-guard.tls.key-store.path=

## Password of tls.key-store.path and of its private key.
## accepted: the key store's password, also its key's (never shown in messages)
## default: (none)
# upstream-guard.tls.key-store.password=

## Type of tls.key-store.path.
## accepted: PKCS12 or JKS (any key store type of the JVM)
# upstream-guard.tls.key-store.type=PKCS12

## Which client certificate of the key store to present.
## accepted: the alias of a private key entry of tls.key-store.path
## default: (none: the TLS stack chooses)
# upstream-guard.tls.key-store.alias=

## Protocols offered to https upstreams.
## accepted: a comma-separated list of TLS protocols the JVM enables, e.g. TLSv1.3,TLSv1.2
## default: (the JVM's default, e.g. TLSv1.3,TLSv1.2)
# upstream-guard.tls.protocols=

## Whether an upstream's certificate must name the upstream URL's host. false accepts any trusted certificate for any host: see the README's warning.
## accepted: true or false
# upstream-guard.tls.hostname-verification=true

## Our member name in Proxy-Status (RFC 9209 §2).
## accepted: an RFC 8941 token (letter or '*' first)
# upstream-guard.proxy-status.member-name=upstream-guard

## Who sees the Proxy-Status 'details' and 'next-hop' parameters and the detailed problem text.
## accepted: one of never, trusted, always
# upstream-guard.exposure.mode=trusted

## Client addresses that count as trusted when exposure.mode=trusted (none by default; loopback is 127.0.0.0/8,::1/128).
## accepted: a comma-separated list of IPv4/IPv6 addresses or CIDR blocks (literals only), or empty for none
## default: (none)
# upstream-guard.exposure.trusted-cidrs=

## Largest single upstream response header field ('name: value' + CRLF).
## accepted: a size in bytes such as 8192, 8k or 8KiB
# upstream-guard.validation.max-header-size=8192

## Largest upstream response head (status line, fields, final CRLF).
## accepted: a size in bytes such as 32768, 32k or 32KiB
# upstream-guard.validation.max-header-section-size=32768

## Most fields an upstream response head may have.
## accepted: a positive whole number
# upstream-guard.validation.max-header-count=256

## Line folding in an upstream header value: reject it, or replace it with a space (RFC 9112 §5.2).
## accepted: one of reject, replace-with-space
# upstream-guard.validation.obs-fold=reject

## An upstream response with both Transfer-Encoding and Content-Length: reject it, or drop Content-Length (RFC 9112 §6.3).
## accepted: one of reject, drop-content-length
# upstream-guard.validation.content-length-with-transfer-encoding=reject

## Whether proxy-made errors carry an RFC 9457 application/problem+json body.
## accepted: true or false
# upstream-guard.problem-details.enabled=true

## Prefix of the problem 'type' URI; the error token is appended, so the default names the token's section of the error catalogue docs/errors.md. about:blank: every type is about:blank and every title the status phrase (RFC 9457 §4.2.1).
## accepted: an absolute URI ending where the error token goes (such as https://errors.example/problems/ or https://errors.example/errors.html#), or about:blank
# upstream-guard.problem-details.type-base=https://github.com/upstreamguard/upstream-guard/blob/main/docs/errors.md#

## Request header whose value is echoed as the problem's request_id (generated when absent).
## accepted: an HTTP field name
# upstream-guard.request-id.header=X-Request-Id

## Retry-After on a 503/429 whose cause gives no better estimate.
## accepted: a duration from 1s to 1d such as 2s, 1m or PT30S
# upstream-guard.retry-after.default=1s

## Whether this application's own response heads are measured against the front proxy's budget.
## accepted: true or false
# upstream-guard.origin-guard.enabled=true

## Largest response head the proxy in front accepts (nginx proxy_buffer_size: 4k or 8k).
## accepted: a size in bytes of at least 256, such as 4096, 4k or 8KiB
# upstream-guard.origin-guard.header-budget=4096

## What to do when this application's head is over budget or has illegal characters.
## accepted: one of warn, reject, strip
# upstream-guard.origin-guard.action=warn

## Most requests in flight at once per route (filter); over it: 503 connection_limit_reached.
## accepted: a whole number from 0 (unlimited) up
# upstream-guard.concurrency.max-concurrent=0

## Smallest Retry-After on a concurrency refusal (it is computed from recent request durations).
## accepted: a duration from 1s to 1d
# upstream-guard.concurrency.min-retry-after=1s

## Largest Retry-After on a concurrency refusal.
## accepted: a duration from 1s to 1d, not below concurrency.min-retry-after
# upstream-guard.concurrency.max-retry-after=30s

## Per-client rate limit: 429 with Retry-After and RateLimit-Policy/RateLimit headers.
## accepted: true or false
# upstream-guard.rate-limit.enabled=false

## The policy name in RateLimit-Policy / RateLimit.
## accepted: 1-32 characters of a-z 0-9 _ -
# upstream-guard.rate-limit.name=default

## Requests per window per client.
## accepted: a whole number from 1 to 1000000000
# upstream-guard.rate-limit.limit=100

## The rate limit's window.
## accepted: a whole number of seconds from 1s to 1d
# upstream-guard.rate-limit.window=1s

## Requests a client may make at once after being idle.
## accepted: 0 (same as rate-limit.limit) or a whole number up to 1000000000
# upstream-guard.rate-limit.burst=0

## What identifies a client: its address, or a request header (falling back to the address).
## accepted: one of address, header
# upstream-guard.rate-limit.key=address

## The request header that identifies a client.
## accepted: an HTTP field name; required when rate-limit.key=header
## default: (none)
# upstream-guard.rate-limit.key-header=

## IPv6 clients are keyed by this many leading bits (one subscriber holds a /64); IPv4-mapped addresses count as IPv4.
## accepted: a whole number from 1 to 128
# upstream-guard.rate-limit.ipv6-prefix-length=64

## Attempts per request, the first included (proxy packagings).
## accepted: 1 (no retries) to 100
# upstream-guard.retry.max-attempts=2

## Methods retried once the request may have reached the upstream (any method is retried when it never left).
## accepted: a comma-separated list of idempotent methods (not POST, PATCH, CONNECT)
# upstream-guard.retry.methods=GET,HEAD,OPTIONS

## What is retried: connect-failure (never reached the upstream; any method), reset, timeout and status (may have been received; retry.methods with a replayable body only).
## accepted: a comma-separated list of connect-failure, reset, timeout, status
# upstream-guard.retry.conditions=connect-failure

## Upstream statuses that are retried for safe requests when retry.conditions has status.
## accepted: a comma-separated list of statuses from 400 to 599
# upstream-guard.retry.statuses=502,503,504

## Timeout of one attempt (default: the packaging's response timeout).
## accepted: a duration from 1ms to 1d, up to retry.deadline when set
## default: (none)
# upstream-guard.retry.per-try-timeout=

## End-to-end deadline of a request, all attempts and backoffs included (default: the route's response timeout).
## accepted: a duration from 1ms to 1d
## default: (the response timeout)
# upstream-guard.retry.deadline=

## Exponential backoff base (full jitter: random(0, min(cap, base * 2^(n-1)))).
## accepted: a duration up to retry.backoff-cap
# upstream-guard.retry.backoff-base=25ms

## Backoff cap.
## accepted: a duration up to 1d
# upstream-guard.retry.backoff-cap=250ms

## An upstream Retry-After up to this is waited for; above it the 503 passes through unretried.
## accepted: a duration up to 1d
# upstream-guard.retry.retry-after-cap=1s

## Request bodies up to this size are buffered so that they can be replayed.
## accepted: a size up to 16MiB
# upstream-guard.retry.max-replayable-body=64k

## Retry budget: retries at most this share of requests (plus the floor).
## accepted: a number from 0.0 to 1.0
# upstream-guard.retry.budget-ratio=0.2

## Retry budget floor: retries per second always allowed.
## accepted: a whole number from 0 to 1000000
# upstream-guard.retry.budget-min-per-second=10

## Passive health: eject an upstream after consecutive gateway failures (proxy packagings).
## accepted: true or false
# upstream-guard.health.enabled=true

## Gateway failures in a row that eject an upstream.
## accepted: a whole number from 1 to 1000
# upstream-guard.health.consecutive-failures=5

## First ejection time; it doubles with each ejection in a row.
## accepted: a duration from 1ms to 1d
# upstream-guard.health.base-ejection=30s

## Longest ejection time.
## accepted: a duration from 1ms to 1d, not below health.base-ejection
# upstream-guard.health.max-ejection=5m

## Most of a route's upstreams ejected at once (at least one; never the only upstream of a route).
## accepted: a whole number from 0 to 100
# upstream-guard.health.max-ejected-percent=50

## Whether an upstream's own 5xx answers count as its failures.
## accepted: true or false
# upstream-guard.health.count-upstream-5xx=false

## Below this percentage of a route's upstreams in rotation, ejections are ignored and all take traffic.
## accepted: a whole number from 0 to 100
# upstream-guard.health.panic-threshold=50

## Where rate-limit and retry-budget buckets live: this JVM, or Redis shared by every instance.
## accepted: one of memory, redis
# upstream-guard.limits.backend=memory

## The Redis server (required with limits.backend=redis).
## accepted: redis://[user:password@]host:port[/db] or rediss://…
## default: (none)
# upstream-guard.limits.redis.uri=

## Prefix of every Redis key.
## accepted: 1-64 characters without spaces
# upstream-guard.limits.redis.key-prefix=upstream-guard:

## How long a limit decision waits for Redis before the failure mode decides.
## accepted: a duration from 1ms to 1m
# upstream-guard.limits.redis.timeout=100ms

## While Redis fails: allow (fail open) or deny (fail closed). Logged and counted either way.
## accepted: allow or deny; required with limits.backend=redis
## default: (none)
# upstream-guard.limits.redis.failure-mode=

## Opt-in circuit breaker: after failed requests in a row, answer the route's requests 503 at once (Retry-After: the time left open) without reaching an upstream.
## accepted: true or false
# upstream-guard.circuit-breaker.enabled=false

## Failed requests of the route in a row (each counted once, whatever its attempts) that open the circuit.
## accepted: a whole number from 1 to 1000
# upstream-guard.circuit-breaker.failure-threshold=5

## How long the circuit stays open (fixed, it does not grow) before half-open probes are let through.
## accepted: a duration from 1ms to 1d
# upstream-guard.circuit-breaker.open-duration=30s

## Requests let through while half-open; the first to succeed closes the circuit, the first to fail reopens it.
## accepted: a whole number from 1 to 1000
# upstream-guard.circuit-breaker.half-open-probes=1

## Status answered for dns_timeout.
## accepted: a status from 500 to 599
# upstream-guard.status.dns_timeout=504

## Status answered for dns_error.
## accepted: a status from 500 to 599
# upstream-guard.status.dns_error=502

## Status answered for destination_not_found.
## accepted: a status from 500 to 599
# upstream-guard.status.destination_not_found=500

## Status answered for destination_unavailable.
## accepted: a status from 500 to 599
# upstream-guard.status.destination_unavailable=503

## Status answered for destination_ip_prohibited.
## accepted: a status from 500 to 599
# upstream-guard.status.destination_ip_prohibited=502

## Status answered for destination_ip_unroutable.
## accepted: a status from 500 to 599
# upstream-guard.status.destination_ip_unroutable=502

## Status answered for connection_refused.
## accepted: a status from 500 to 599
# upstream-guard.status.connection_refused=502

## Status answered for connection_terminated.
## accepted: a status from 500 to 599
# upstream-guard.status.connection_terminated=502

## Status answered for connection_timeout.
## accepted: a status from 500 to 599
# upstream-guard.status.connection_timeout=504

## Status answered for connection_read_timeout.
## accepted: a status from 500 to 599
# upstream-guard.status.connection_read_timeout=504

## Status answered for connection_write_timeout.
## accepted: a status from 500 to 599
# upstream-guard.status.connection_write_timeout=504

## Status answered for connection_limit_reached.
## accepted: a status from 500 to 599
# upstream-guard.status.connection_limit_reached=503

## Status answered for tls_protocol_error.
## accepted: a status from 500 to 599
# upstream-guard.status.tls_protocol_error=502

## Status answered for tls_certificate_error.
## accepted: a status from 500 to 599
# upstream-guard.status.tls_certificate_error=502

## Status answered for tls_alert_received.
## accepted: a status from 500 to 599
# upstream-guard.status.tls_alert_received=502

## Status answered for http_request_error.
## accepted: a status from 400 to 599
# upstream-guard.status.http_request_error=400

## Status answered for http_request_denied.
## accepted: a status from 400 to 599
# upstream-guard.status.http_request_denied=403

## Status answered for http_response_incomplete.
## accepted: a status from 500 to 599
# upstream-guard.status.http_response_incomplete=502

## Status answered for http_response_header_section_size.
## accepted: a status from 500 to 599
# upstream-guard.status.http_response_header_section_size=502

## Status answered for http_response_header_size.
## accepted: a status from 500 to 599
# upstream-guard.status.http_response_header_size=502

## Status answered for http_response_body_size.
## accepted: a status from 500 to 599
# upstream-guard.status.http_response_body_size=502

## Status answered for http_response_trailer_section_size.
## accepted: a status from 500 to 599
# upstream-guard.status.http_response_trailer_section_size=502

## Status answered for http_response_trailer_size.
## accepted: a status from 500 to 599
# upstream-guard.status.http_response_trailer_size=502

## Status answered for http_response_transfer_coding.
## accepted: a status from 500 to 599
# upstream-guard.status.http_response_transfer_coding=502

## Status answered for http_response_content_coding.
## accepted: a status from 500 to 599
# upstream-guard.status.http_response_content_coding=502

## Status answered for http_response_timeout.
## accepted: a status from 500 to 599
# upstream-guard.status.http_response_timeout=504

## Status answered for http_upgrade_failed.
## accepted: a status from 500 to 599
# upstream-guard.status.http_upgrade_failed=502

## Status answered for http_protocol_error.
## accepted: a status from 500 to 599
# upstream-guard.status.http_protocol_error=502

## Status answered for proxy_internal_response.
## accepted: a status from 500 to 599
# upstream-guard.status.proxy_internal_response=500

## Status answered for proxy_internal_error.
## accepted: a status from 500 to 599
# upstream-guard.status.proxy_internal_error=500

## Status answered for proxy_configuration_error.
## accepted: a status from 500 to 599
# upstream-guard.status.proxy_configuration_error=500

## Status answered for proxy_loop_detected.
## accepted: a status from 500 to 599
# upstream-guard.status.proxy_loop_detected=502
