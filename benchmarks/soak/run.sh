#!/usr/bin/env bash
# The soak run (issue 11): each packaging — the guarded Jetty proxy (jetty-module), the guarded Spring Cloud
# Gateway (gateway starter) and a servlet application behind the filter — in one JVM on 127.0.0.1, under 64
# concurrent clients for --minutes each, against two test-kit MisbehavingUpstreams (30 % faults: refused,
# reset/close, stall, malformed head, truncated body; POSTs with 2 KiB bodies) of which one flaps (down and up
# every --flap-seconds); for the proxies a Redis-backed rate limit (fail open), Redis killed at 40 % of the run
# and restarted at 60 %. Prints a summary, writes benchmarks/target/soak/soak-report.md (the log goes to
# benchmarks/target/soak/soak.log) and exits 1 when any answer was unexpected or any POST was delivered twice.
#
# Usage: benchmarks/soak/run.sh [--minutes 5] [--connections 64] [--packagings jetty,gateway,servlet]
#                               [--flap-seconds 10] [--report FILE]
# Bounded: about 3 × (minutes + 1/2) minutes; killed after 3 × minutes + 10 minutes at the latest.
# Loopback only; names are looked up in the test kit's hosts file (only localhost resolves). Not part of verify.
set -euo pipefail
cd "$(dirname "$0")/../.."

minutes=5
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --minutes=*) minutes="${args[$i]#--minutes=}" ;;
    --minutes) minutes="${args[$((i + 1))]}" ;;
  esac
done
limit_seconds=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 3 * 60 + 600 }')

echo "uptime before the build: $(uptime)"
./mvnw -B -q -pl benchmarks -am package -DskipTests
mkdir -p benchmarks/target/soak && rm -f benchmarks/target/soak/soak.log
echo "uptime before the run:   $(uptime)"
echo "command: benchmarks/soak/run.sh $*"

status=0
timeout --kill-after=30s "${limit_seconds}s" \
  java -Xmx512m -Djdk.net.hosts.file=test-kit/src/main/resources/dev/upstreamguard/testkit/hosts \
  -Dlogback.configurationFile=benchmarks/soak/logback.xml -Dlogging.config=benchmarks/soak/logback.xml -Dlogging.level.org.springframework.boot.logging=ERROR \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/macro.classpath)" \
  dev.upstreamguard.benchmarks.soak.SoakRun "$@" || status=$?
echo "uptime after the run:    $(uptime)"
exit "$status"
