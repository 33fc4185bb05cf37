-- Drives a running Langso from outside (wrk 4.1, Debian's `wrk`) with POSTs prepared by
-- `langso bench visits --wrk-visits N --wrk-file F` (visits, answered 201) or
-- `langso bench ingest --wrk-heartbeats N --wrk-file F` (heartbeats, answered 200): one per
-- line, path, a tab, the JSON body, sent with the token the command printed. Each thread
-- sends the lines in turn from its own starting place; every visit line makes a new visit.
-- Prints the answers with the expected status apart from the others.
--   LANGSO_TOKEN=… LANGSO_POSTS=F LANGSO_EXPECT=201 wrk -t2 -c32 -d10s -s .ci/wrk-posts.lua http://127.0.0.1:8080
local token = os.getenv("LANGSO_TOKEN")
local file = os.getenv("LANGSO_POSTS") or "posts.tsv"
local expect = tonumber(os.getenv("LANGSO_EXPECT") or "201")
local posts = {}
local at = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("number", #threads)
end

function init(args)
  answered, other = 0, 0
  for line in io.lines(file) do
    local path, body = line:match("^([^\t]+)\t(.*)$")
    if path then
      posts[#posts + 1] = { path, body }
    end
  end
  at = (number or 1) * 7919 % #posts
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
  -- Each request is formatted once, here: formatting it again for every send cost the
  -- client as much CPU as a small request costs the server, on the same two cores.
  for i, p in ipairs(posts) do
    posts[i] = wrk.format("POST", p[1], nil, p[2])
  end
end

function request()
  at = at % #posts + 1
  return posts[at]
end

function response(status, headers, body)
  if status == expect then answered = answered + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("answered")
    o = o + t:get("other")
  end
  io.write(string.format("%d answers: %d (%.0f/s), other answers: %d, p99 %.1f ms\n",
    expect, a, a / (summary.duration / 1e6), o, latency:percentile(99) / 1000))
end
