-- wrk script of the load run (throughput samples): no per-response callback, so wrk stays cheap;
-- done() prints one line that dev.upstreamguard.benchmarks.macro.Wrk parses.
done = function(summary, latency, requests)
  io.write(string.format(
    "UGSTATS requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d non2xx3xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.errors.status))
end
