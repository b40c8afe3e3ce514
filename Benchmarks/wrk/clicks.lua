-- Clicks a different minted token on each request, cycling through the file given after "--".
-- Each wrk thread starts at its own offset so threads do not click in lockstep.
-- usage: wrk -t2 -c64 -d20s --latency -s Benchmarks/wrk/clicks.lua http://127.0.0.1:5000 -- tokens.txt

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  for line in io.lines(args[1] or "tokens.txt") do
    tokens[#tokens + 1] = "/c/" .. line
  end
  index = (id * 7919) % #tokens
end

function request()
  index = index % #tokens + 1
  return wrk.format("GET", tokens[index])
end
