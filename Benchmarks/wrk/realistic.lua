-- Replays a request file written before the load (Benchmarks/run-realistic-load.sh): line n is sent by thread
-- n % threads, each thread walking its lines in order from the line "start" on, wrapping at the end of the file.
-- usage: wrk -t2 -c64 -d20s --latency -s Benchmarks/wrk/realistic.lua URL -- requests.txt START THREADS [THINK_MS]
-- With THINK_MS > 0 every connection waits that long before each request (wrk's delay hook), which caps the
-- offered rate at about connections / (THINK_MS + latency).
-- With WRK_STATE set, done() writes what each thread sent to that file, for the exactness check:
-- "sent" requests per thread, and "recent", the first of its requests issued in the last five seconds or so
-- (os.time() has a resolution of one second); the ones after it may have been in flight when wrk stopped.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local stride = tonumber(args[3] or "1")
  local start = tonumber(args[2] or "0")
  paths = {}
  local n = 0
  for line in io.lines(args[1] or "requests.txt") do
    if n % stride == id then
      paths[#paths + 1] = "/c/" .. line
    end
    n = n + 1
  end
  first = math.floor(start / stride)
  sent = 0
  second = 0
  m1, m2, m3, m4, m5, m6 = 0, 0, 0, 0, 0, 0
  local think = tonumber(args[4] or "0")
  if think > 0 then
    function delay()
      return think
    end
  end
end

function request()
  local now = os.time()
  if now ~= second then
    second = now
    m6, m5, m4, m3, m2, m1 = m5, m4, m3, m2, m1, sent
  end
  local path = paths[(first + sent) % #paths + 1]
  sent = sent + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local file = os.getenv("WRK_STATE")
  if not file then
    return
  end
  local out = assert(io.open(file, "w"))
  out:write(string.format("duration_us %d\nrequests %d\n", summary.duration, summary.requests))
  out:write(string.format("errors_connect %d\nerrors_read %d\nerrors_write %d\nerrors_status %d\nerrors_timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  out:write(string.format("latency_p50_us %d\nlatency_p99_us %d\nlatency_max_us %d\n",
    latency:percentile(50.0), latency:percentile(99.0), latency.max))
  for _, thread in ipairs(threads) do
    out:write(string.format("thread %d %d %d\n", thread:get("id"), thread:get("sent"), thread:get("m6")))
  end
  out:close()
end
