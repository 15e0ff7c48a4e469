-- Time to full speed: soldout.lua's requests (the keyed sold-out storm), counted per wall-clock second, so that
-- load-tests/warmup can see how a fresh JVM's rate grows from its first second. Flat per-thread tables keyed by the
-- CLOCK_MONOTONIC second (wrk's thread:get copies flat tables only); done() prints one "@@sec <s> <answers> <503s>"
-- line per second after soldout.lua's summary line.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "soldout.lua")

sec_all, sec_503 = {}, {}
local answer = response
function response(status, headers, body)
  local s = math.floor(now_ms() / 1000)
  sec_all[s] = (sec_all[s] or 0) + 1
  if status == 503 then sec_503[s] = (sec_503[s] or 0) + 1 end
  answer(status, headers, body)
end

local summary_line = done
function done(summary, latency, requests)
  summary_line(summary, latency, requests)
  local all, unavailable, first, last = {}, {}, nil, nil
  for _, t in ipairs(threads) do
    for s, n in pairs(t:get("sec_all") or {}) do
      all[s] = (all[s] or 0) + n
      if first == nil or s < first then first = s end
      if last == nil or s > last then last = s end
    end
    for s, n in pairs(t:get("sec_503") or {}) do unavailable[s] = (unavailable[s] or 0) + n end
  end
  if first == nil then return end
  for s = first, last do
    io.write(string.format("@@sec %d %d %d\n", s, all[s] or 0, unavailable[s] or 0))
  end
end
