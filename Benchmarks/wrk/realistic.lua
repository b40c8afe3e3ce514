-- Replays a request file written before the load (Benchmarks/run-realistic-load.sh): line n is sent by thread
-- n % threads, each thread walking its lines in order from the line "start" on, wrapping at the end of the file.
-- The file is split by thread: thread i reads PREFIX.i.txt (line n of the whole is line n / threads of file n % threads).
-- usage: wrk -t2 -c64 -d20s --latency -s Benchmarks/wrk/realistic.lua URL -- PREFIX START THREADS [THINK_MS] [USER_AGENTS]
-- With THINK_MS > 0 every connection waits that long before each request (wrk's delay hook), which caps the
-- offered rate at about connections / (THINK_MS + latency).
-- With USER_AGENTS (a file, one user agent a line) request n carries line n % lines as its User-Agent, so the beacon
-- classifies and enriches a mix of browsers and devices (Benchmarks/wrk/user-agents.txt: 1,025 browser user agents
-- from uap-core's test fixtures, none a known crawler); without it requests carry none.
-- With WRK_STATE set, done() writes what each thread sent to that file, for the exactness check:
-- "sent" requests per thread, and "recent", the first of its requests issued in the last five seconds or so
-- (os.time() has a resolution of one second); the ones after it may have been in flight when wrk stopped.

local ffi = require("ffi")
ffi.cdef[[ int usleep(unsigned int usec); ]]

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
  for line in io.lines((args[1] or "requests") .. "." .. id .. ".txt") do
    paths[#paths + 1] = "/c/" .. line
  end
  first = math.floor(start / stride)
  sent = 0
  second = 0
  m1, m2, m3, m4, m5, m6 = 0, 0, 0, 0, 0, 0
  -- wrk starts each thread as soon as its init is done and the next thread's init runs after: without a barrier the
  -- first thread would send alone while the others read their files, outside wrk's clock. The last thread's init
  -- leaves a file; every thread's first real request waits for it (thread 0's first call is wrk's check, made before
  -- the others exist: it must not wait).
  ready = (os.getenv("WRK_STATE") or "wrk") .. ".ready"
  waiting = id == 0 and -1 or 0
  if id == stride - 1 then
    io.open(ready, "w"):close()
  end
  agents = {}
  if args[5] and args[5] ~= "" then
    for line in io.lines(args[5]) do
      agents[#agents + 1] = { ["User-Agent"] = line }
    end
  end
  local think = tonumber(args[4] or "0")
  if think > 0 then
    function delay()
      return think
    end
  end
end

function request()
  if waiting < 1 then
    waiting = waiting + 1
    while waiting == 1 and not io.open(ready) do
      ffi.C.usleep(5000)
    end
  end
  local now = os.time()
  if now ~= second then
    second = now
    m6, m5, m4, m3, m2, m1 = m5, m4, m3, m2, m1, sent
  end
  local n = first + sent
  local path = paths[n % #paths + 1]
  sent = sent + 1
  if #agents > 0 then
    return wrk.format("GET", path, agents[n % #agents + 1])
  end
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
