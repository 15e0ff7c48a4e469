-- Time to full speed: soldout.lua's requests (the keyed sold-out storm), counted per wall-clock second, so that
-- load-tests/warmup can see how a fresh JVM's rate grows from its first second. Each thread keeps one global number
-- per second and kind ("s<second>" answers, "u<second>" 503s; the CLOCK_MONOTONIC second) and its first and last
-- second: wrk's thread:get copies numbers reliably, tables not. done() prints one "@@sec <s> <answers> <503s>" line
-- per second after soldout.lua's summary line.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "soldout.lua")

-- common.lua keeps its thread list to itself: keep our own.
local my_threads = {}
local setup_thread = setup
function setup(thread)
  setup_thread(thread)
  table.insert(my_threads, thread)
end

local answer = response
function response(status, headers, body)
  local s = math.floor(now_ms() / 1000)
  local k = "s" .. s
  _G[k] = (_G[k] or 0) + 1
  if status == 503 then
    local u = "u" .. s
    _G[u] = (_G[u] or 0) + 1
  end
  if sec_first == nil then sec_first = s end
  sec_last = s
  answer(status, headers, body)
end

local summary_line = done
function done(summary, latency, requests)
  summary_line(summary, latency, requests)
  local first, last = nil, nil
  for _, t in ipairs(my_threads) do
    local f, l = t:get("sec_first"), t:get("sec_last")
    if f ~= nil and (first == nil or f < first) then first = f end
    if l ~= nil and (last == nil or l > last) then last = l end
  end
  if first == nil then return end
  for s = first, last do
    local all, unavailable = 0, 0
    for _, t in ipairs(my_threads) do
      all = all + (t:get("s" .. s) or 0)
      unavailable = unavailable + (t:get("u" .. s) or 0)
    end
    io.write(string.format("@@sec %d %d %d\n", s, all, unavailable))
  end
end
