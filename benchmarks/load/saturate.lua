-- `make load`'s saturation phases (scripts/load.py): wrk requests the paths listed in a file,
-- one per line, in random order, and prints one JSON line with what it measured.
--
--   wrk -t2 -c50 -d30s -s benchmarks/load/saturate.lua http://127.0.0.1:8000 -- paths.txt
--
-- wrk is a C load generator: it leaves the (shared) CPU to the server whose throughput is
-- measured, where a Python client would take a good part of it.

local threads = {}
local paths = {}
local count = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      count = count + 1
      paths[count] = line
    end
  end
  if count == 0 then
    error("no path in " .. args[1])
  end
  math.randomseed(os.time() * 100 + id)
end

function request()
  return wrk.format("GET", paths[math.random(count)])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'SATURATION {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)
  ))
end
