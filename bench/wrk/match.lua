-- wrk script for bench/api_bench.py: every request POSTs a different body (one JSON body per line of
-- the file given as the first script argument, split between the threads), and done() prints the
-- figures as one JSON line.
--   wrk -t2 -c100 -d30s -s match.lua URL -- BODIES_FILE THREADS API_KEY

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path, nthreads = args[1], tonumber(args[2])
  bodies = {}
  local i = 0
  for line in io.lines(path) do
    if i % nthreads == id then bodies[#bodies + 1] = line end
    i = i + 1
  end
  sent = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "ApiKey " .. args[3]
end

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, bodies[((sent - 1) % #bodies) + 1])
end

function done(summary, latency, requests)
  local repeated = 0
  for _, thread in ipairs(threads) do
    local n, have = thread:get("sent"), #thread:get("bodies")
    if n > have then repeated = repeated + (n - have) end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"repeated_bodies": %d, "latency_us": {"min": %d, "mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p99": %d, "p999": %d}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, repeated,
    latency.min, latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9)))
end
