-- wrk script for tests/perf/run.py.
-- BENCH_IDS=N: each request asks for <path><random id in 1..N> instead of the fixed path.
-- At the end one machine-readable line is printed: "BENCH_JSON {...}" (latencies in us).

local ids = tonumber(os.getenv("BENCH_IDS") or "0")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_no or 0) * 7919)
end

if ids > 0 then
  function request()
    return wrk.format(nil, wrk.path .. math.random(1, ids))
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
