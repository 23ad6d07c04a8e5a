-- wrk script of benchmarks/throughput.py.
--
--   wrk -t1 -c2 -d15s --latency -s benchmarks/wrk.lua http://127.0.0.1:8820 -- PATHS [ETAG]
--
-- PATHS is a file of request paths, one a line, sent in turn (distinct paths keep each request
-- out of any cache); ETAG, when given, is sent as If-None-Match. At the end one line
-- "BENCH {json}" gives the request count, duration, latency percentiles (microseconds), socket
-- errors and how many responses had each status.

local paths = {}
local count = 0
local next_path = 0
statuses = {}

function init(args)
  for line in io.lines(args[1]) do
    count = count + 1
    paths[count] = line
  end
  if count == 0 then
    error("no paths in " .. args[1])
  end
  if args[2] ~= nil and args[2] ~= "" then
    wrk.headers["If-None-Match"] = args[2]
  end
end

function request()
  next_path = next_path % count + 1
  return wrk.format("GET", paths[next_path])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(merged) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, '
      .. '"timeouts": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout,
    table.concat(parts, ", ")))
end
