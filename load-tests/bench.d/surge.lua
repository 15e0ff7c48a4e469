-- (c) The release surge: parents arrive one after another on each connection. A parent (one account,
-- one child, one fresh token) picks a random slot of its department-day and taps "book"; on 409
-- sold-out it picks another slot, at most <attempts> taps in all; 201, already-booked or any other
-- answer ends the arrival and the next parent comes. Each token is used only for its own arrival.
--   wrk -t N -c N -s surge.lua <url> -- dir=<data dir> threads=N name=<phase> [arrivals=arrivals.tsv]
--       [slots=slots.tsv] [attempts=4] [rate=<r>]
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

function init(args)
  local opts = parse_args(args)
  phase_name = opts.name or "surge"
  nthreads = tonumber(opts.threads)
  pacing(opts, nthreads)
  arrivals = read_rows(opts.dir .. "/" .. (opts.arrivals or "arrivals.tsv"), tid, nthreads)
  slots_by_day = {}
  for _, row in ipairs(read_rows(opts.dir .. "/" .. (opts.slots or "slots.tsv"))) do
    local day = tonumber(row[1])
    slots_by_day[day] = slots_by_day[day] or {}
    table.insert(slots_by_day[day], row[2])
  end
  max_attempts = tonumber(opts.attempts or "4")
  math.randomseed(tid * 104729 + os.time())
  prefix = string.format("c%x-%d-", math.random(0, 0xffffff), tid)
  current, attempts, sent = 0, max_attempts, 0
  win_times = {}
  extra = { arrivals = 0, reused_tokens = 0 }
end

local function next_arrival()
  current = current + 1
  if current > #arrivals then
    current = 1
    extra.reused_tokens = 1 -- this thread ran out of fresh parents and started over
  end
  attempts = 0
  extra.arrivals = extra.arrivals + 1
end

function request()
  if attempts >= max_attempts then next_arrival() end
  local a = arrivals[current]
  local slots = slots_by_day[tonumber(a[3])]
  attempts = attempts + 1
  sent = sent + 1
  local body = '{"slotId":"' .. slots[math.random(#slots)] .. '","patientId":"' .. a[2] .. '"}'
  sent_at = now_ms()
  if extra.min_start_ms == nil then extra.min_start_ms = sent_at end
  return wrk.format("POST", "/api/v1/bookings", {
    ["Authorization"] = "Bearer " .. a[1], ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. sent }, body)
end

function response(status, headers, body)
  local now = now_ms()
  local t = status >= 400 and problem_type(body)
  count(t and (status .. ":" .. t) or tostring(status))
  if status == 201 then
    sample("won", now - sent_at)
    win_times[#win_times + 1] = now
    attempts = max_attempts
  elseif t == "sold-out" then
    sample("lost", now - sent_at)
  else
    sample("other", now - sent_at)
    attempts = max_attempts
  end
  sample("all", now - sent_at)
end
