-- Drives POST /api/v1/households/{id}/visits from outside (wrk 4.1, Debian's `wrk`) with the
-- visits `langso bench visits --wrk-visits N --wrk-file visits.tsv` prepared (household id, a
-- tab, a whole body) and the officer's token it printed. Each thread sends the lines in turn
-- from its own starting place; every line makes a new visit. Prints the 201 answers apart.
--   LANGSO_TOKEN=… LANGSO_VISITS=visits.tsv wrk -t2 -c32 -d10s -s .ci/wrk-visits.lua http://127.0.0.1:8080
local token = os.getenv("LANGSO_TOKEN")
local file = os.getenv("LANGSO_VISITS") or "visits.tsv"
local visits = {}
local at = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("number", #threads)
end

function init(args)
  created, other = 0, 0
  for line in io.lines(file) do
    local id, body = line:match("^([^\t]+)\t(.*)$")
    if id then
      visits[#visits + 1] = { "/api/v1/households/" .. id .. "/visits", body }
    end
  end
  at = (number or 1) * 7919 % #visits
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  at = at % #visits + 1
  local v = visits[at]
  return wrk.format("POST", v[1], nil, v[2])
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  io.write(string.format("201 answers: %d (%.0f/s), other answers: %d, p99 %.1f ms\n",
    c, c / (summary.duration / 1e6), o, latency:percentile(99) / 1000))
end
