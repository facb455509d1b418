-- wrk script of the load run (outage samples): counts every response by status and by the error token
-- of its Proxy-Status field ("-" when there is none), e.g. "503:destination_unavailable=1234".
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  answers = {}
end

function response(status, headers, body)
  local token = "-"
  for name, value in pairs(headers) do
    if string.lower(name) == "proxy-status" then
      token = string.match(value, "error=([%w_]+)") or "other"
    end
  end
  local key = status .. ":" .. token
  answers[key] = (answers[key] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format(
    "UGSTATS requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d non2xx3xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.errors.status))
  local total = {}
  for _, thread in ipairs(threads) do
    local counted = thread:get("answers")
    for key, count in pairs(counted) do
      total[key] = (total[key] or 0) + count
    end
  end
  local line = "UGANSWERS"
  for key, count in pairs(total) do
    line = line .. " " .. key .. "=" .. count
  end
  io.write(line .. "\n")
end
