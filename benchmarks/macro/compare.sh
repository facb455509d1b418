#!/usr/bin/env bash
# Two builds side by side in one load run: the stock and the guarded Jetty proxy and Spring Cloud Gateway of
# <before> and of <after> (two checkouts, each built with
#   ./mvnw -B -o -q -DskipTests package -pl benchmarks -am
# in it), all started at once on loopback and measured in interleaved rounds (per packaging: before stock,
# before guarded, after stock, after guarded; even rounds reversed), so that other load on the machine falls
# on both builds alike. Then the JMH success path of each build (TypicalResponseBenchmark, and
# LifecycleBenchmark where the build has it), before and after alternately, with -prof gc.
#
# The load run is driven by this checkout's harness (build it first, as above); each build's proxies run from
# that build's own benchmarks/target. Results: <out>/macro-samples.tsv, <out>/compare.md (the tables),
# <out>/compare-run.log, <out>/jmh-<build>.txt. Bounded: the load run stops itself (--max-minutes=14) and is
# killed after 16 minutes at the latest; every process it starts is stopped at the end.
#
# Usage: benchmarks/macro/compare.sh <before-checkout> <after-checkout> [--out=benchmarks/results/compare]
#        [--jmh=true] [--macro=true] [LoadRun options, e.g. --same-libraries=true, defaults --rounds=4 --seconds=5 --warmup=4 --connections=32]
# Takes about 12 minutes on 2 cores (about 9 for the load run, 3 for JMH).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ $# -lt 2 ]; then
  echo "usage: $0 <before-checkout> <after-checkout> [--out=dir] [--jmh=true|false] [LoadRun options]" >&2
  exit 2
fi
before="$(cd "$1" && pwd)"
after="$(cd "$2" && pwd)"
shift 2
out=benchmarks/results/compare
jmh=true
macro=true
pass=()
for arg in "$@"; do
  case "$arg" in
    --out=*) out="${arg#--out=}" ;;
    --jmh=*) jmh="${arg#--jmh=}" ;;
    --macro=*) macro="${arg#--macro=}" ;;
    *) pass+=("$arg") ;;
  esac
done
for dir in "$before" "$after" .; do
  if [ ! -f "$dir/benchmarks/target/macro.classpath" ] || [ ! -f "$dir/benchmarks/target/benchmarks.jar" ]; then
    echo "$dir is not built: cd $dir && ./mvnw -B -o -q -DskipTests package -pl benchmarks -am" >&2
    exit 1
  fi
done
mkdir -p "$out"
log="$out/compare-run.log"
[ "$macro" = true ] || log="$out/compare-jmh.log"
{
  echo "before: $before at $(git -C "$before" rev-parse --short HEAD) ($(git -C "$before" log -1 --format=%s | cut -c1-80))"
  echo "after:  $after at $(git -C "$after" rev-parse --short HEAD) ($(git -C "$after" log -1 --format=%s | cut -c1-80))"
  echo "nginx: $(nginx -v 2>&1)   wrk: $(wrk -v 2>&1 | head -1 | cut -c1-40)"
  echo "uptime at the start: $(uptime)"
} | tee "$log"

if [ "$macro" = true ]; then
timeout --kill-after=30s 16m \
  java -Xmx256m -cp "benchmarks/target/classes:$(cat benchmarks/target/macro.classpath)" \
  dev.upstreamguard.benchmarks.macro.LoadRun "--builds=before=$before,after=$after" --skip-outage=true \
  --rounds=4 --warmup=4 --max-minutes=14 "--out=$out" --work=benchmarks/target/macro-compare "${pass[@]}" \
  2>&1 | tee -a "$log"
echo "uptime after the load run:  $(uptime)" | tee -a "$log"
fi

if [ "$jmh" = true ]; then
  for build in before after; do
    dir=$before; [ $build = after ] && dir=$after
    if unzip -l "$dir/benchmarks/target/benchmarks.jar" | grep 'LifecycleBenchmark.class' >/dev/null; then
      pattern='LifecycleBenchmark|TypicalResponseBenchmark'
    else
      pattern='TypicalResponseBenchmark'
    fi
    echo "JMH $build: $pattern; uptime $(uptime)" | tee -a "$log"
    timeout --kill-after=30s 6m java -jar "$dir/benchmarks/target/benchmarks.jar" "$pattern" \
      -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc > "$out/jmh-$build.txt" 2>&1
    grep -E '^(Benchmark|[A-Za-z]+Benchmark\.[A-Za-z0-9]+(:gc\.alloc\.rate\.norm)? )' "$out/jmh-$build.txt" \
      | grep -vE ':(gc\.alloc\.rate|gc\.count|gc\.time) ' | tee -a "$log"
  done
  echo "uptime after JMH: $(uptime)" | tee -a "$log"
fi
if [ "$macro" = true ]; then echo "tables: $out/compare.md"; fi
if [ "$jmh" = true ]; then echo "JMH: $out/jmh-before.txt, $out/jmh-after.txt"; fi
