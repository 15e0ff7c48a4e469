-- Shared by the bench's wrk scripts (loaded with dofile from each). One connection per wrk thread
-- (wrk -t N -c N), so each thread knows which request a response answers: that is what lets the surge
-- script react to answers (try another slot after sold-out) and time each answer by its kind.
--   args: name=<phase>  rate=<offered requests/s over all threads, 0 = as fast as answers come>
-- done() prints one line "@@ key=value ..." that load-tests/bench parses.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } fvb_timespec;
  int clock_gettime(int clk_id, fvb_timespec *tp);
]]
local ts = ffi.new("fvb_timespec")
function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC: comparable across wrk threads
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
local thread_count = 0
function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function parse_args(args)
  local opts = {}
  for _, a in ipairs(args) do
    local k, v = a:match("^([%w_]+)=(.*)$")
    if k then opts[k] = v end
  end
  return opts
end

-- Constant offered rate (wrk2-style, per thread): each thread keeps an absolute schedule and waits
-- for its next send instant. Latency is timed by wrk from the actual send, so it is not corrected for
-- coordinated omission: a step whose achieved rate falls short of the offered one is past the knee.
function pacing(opts, nthreads)
  local rate = tonumber(opts.rate or "0")
  if rate <= 0 then
    delay = nil
    return
  end
  local interval = nthreads * 1000.0 / rate
  local next_at = nil
  delay = function()
    local now = now_ms()
    if next_at == nil then next_at = now + math.random() * interval end
    next_at = next_at + interval
    if next_at < now - 1000 then next_at = now end -- never burst to catch up more than 1 s
    local d = next_at - now
    if d <= 0 then return 0 end
    return math.floor(d + 0.5)
  end
end

-- Per-thread answer counters, keyed by "status" or "status:type" (problem type's last segment).
counts = {}
function count(key)
  counts[key] = (counts[key] or 0) + 1
end
function problem_type(body)
  if body == nil then return nil end
  return body:match('"type"%s*:%s*"[^"]-([%w%-]+)"')
end

-- Per-thread lists of latencies (ms) by answer kind, timed in Lua around each request. One flat global
-- table per kind: wrk's thread:get cannot copy nested tables ("invalid key to 'next'").
local KINDS = { "all", "won", "lost", "other" }
function sample(kind, ms)
  local name = "lat_" .. kind
  local s = _G[name]
  if s == nil then s = {}; _G[name] = s end
  s[#s + 1] = ms
end

local function pct(sorted, p)
  if #sorted == 0 then return 0 end
  local i = math.max(1, math.min(#sorted, math.ceil(p / 100 * #sorted)))
  return sorted[i]
end

function done(summary, latency, requests)
  local name = "?"
  local merged, lat, extra = {}, {}, {}
  for _, t in ipairs(threads) do
    name = t:get("phase_name") or name
    local c = t:get("counts") or {}
    for k, v in pairs(c) do merged[k] = (merged[k] or 0) + v end
    for _, kind in ipairs(KINDS) do
      local list = t:get("lat_" .. kind)
      if list then
        lat[kind] = lat[kind] or {}
        for _, v in ipairs(list) do table.insert(lat[kind], v) end
      end
    end
    local e = t:get("extra") or {}
    for k, v in pairs(e) do
      if k:match("^min_") then
        extra[k] = extra[k] and math.min(extra[k], v) or v
      elseif k:match("^max_") then
        extra[k] = extra[k] and math.max(extra[k], v) or v
      else
        extra[k] = (extra[k] or 0) + v
      end
    end
  end
  local e = summary.errors
  local out = string.format("@@ phase=%s requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d "
      .. "err_connect=%d err_read=%d err_write=%d err_timeout=%d non2xx=%d",
    name, summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, e.connect, e.read, e.write, e.timeout, e.status)
  local keys = {}
  for k in pairs(merged) do table.insert(keys, k) end
  table.sort(keys)
  for _, k in ipairs(keys) do out = out .. string.format(" n_%s=%d", k:gsub("[^%w]", "_"), merged[k]) end
  for _, kind in ipairs(KINDS) do
    local list = lat[kind] or {}
    table.sort(list)
    if #list > 0 then out = out .. string.format(" %s_count=%d %s_p50_us=%d %s_p99_us=%d", kind, #list, kind, pct(list, 50) * 1000, kind, pct(list, 99) * 1000) end
  end
  for k, v in pairs(extra) do out = out .. string.format(" %s=%s", k, tostring(v)) end
  -- Winners over time: the 201s in order, for the rate while places were left (see surge.lua).
  local wins = {}
  for _, t in ipairs(threads) do
    for _, v in ipairs(t:get("win_times") or {}) do table.insert(wins, v) end
  end
  if #wins > 0 and extra.min_start_ms then
    table.sort(wins)
    local n90 = math.max(1, math.floor(#wins * 0.9))
    out = out .. string.format(" win_t50_ms=%d win_t90_ms=%d win_t100_ms=%d win_n90=%d",
      wins[math.max(1, math.floor(#wins * 0.5))] - extra.min_start_ms, wins[n90] - extra.min_start_ms,
      wins[#wins] - extra.min_start_ms, n90)
  end
  io.write(out .. "\n")
end

-- Reads a TAB-separated file, keeping the lines this thread owns (line i goes to thread i mod n), or all.
function read_rows(path, tid, nthreads)
  local rows, i = {}, 0
  local f = assert(io.open(path, "r"), "cannot open " .. path)
  for line in f:lines() do
    if nthreads == nil or i % nthreads == tid then
      local row = {}
      for field in line:gmatch("[^\t]+") do table.insert(row, field) end
      table.insert(rows, row)
    end
    i = i + 1
  end
  f:close()
  return rows
end
