#!/usr/bin/env bash
# The macro benchmark (load on loopback): builds what it needs, finds or installs nginx and wrk (Debian
# packages), then runs dev.upstreamguard.benchmarks.macro.LoadRun, which starts an nginx upstream, five
# proxies (stock Jetty, guarded Jetty, stock Spring Cloud Gateway, guarded gateway, nginx), measures them
# with wrk, stops everything and writes benchmarks/results/macro-samples.tsv, macro.md, macro.png and
# macro-answers.txt. Bounded: the run stops by itself (LoadRun --max-minutes, default 30; this script
# kills it after 40 minutes at the latest). Loopback only.
#
# Usage: benchmarks/macro/run.sh [--rounds=8] [--seconds=5] [--connections=32] [--warmup=4] [--skip-outage=true]
# Takes about 9 minutes with the defaults on 2 cores. Not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in nginx wrk; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing $tool (Debian package)"
      apt-get update -qq && apt-get install -y -qq nginx wrk >/dev/null
    else
      echo "$tool is missing: apt-get install -y nginx wrk" >&2
      exit 1
    fi
  fi
done

echo "uptime before the build: $(uptime)"
./mvnw -B -q -o -pl benchmarks -am -DskipTests package
echo "uptime before the run:   $(uptime)"
echo "nginx: $(nginx -v 2>&1)   wrk: $(wrk -v 2>&1 | head -1 | cut -c1-40)"

timeout --kill-after=30s 40m \
  java -Xmx256m -cp "benchmarks/target/classes:$(cat benchmarks/target/macro.classpath)" \
  dev.upstreamguard.benchmarks.macro.LoadRun "$@"
echo "uptime after the run:    $(uptime)"
