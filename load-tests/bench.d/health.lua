-- (a) GET /q/health/live: the trivial-endpoint ceiling of the same process, on its management port.
--   wrk -t N -c N -s health.lua <url> -- dir=<bench.d> name=<phase> [rate=<r>]
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

function init(args)
  local opts = parse_args(args)
  phase_name = opts.name or "health"
  nthreads = tonumber(opts.threads)
  pacing(opts, nthreads)
  req = wrk.format("GET", "/q/health/live")
  extra = {}
end

function request()
  sent_at = now_ms()
  if extra.min_start_ms == nil then extra.min_start_ms = sent_at end
  return req
end

function response(status, headers, body)
  sample("all", now_ms() - sent_at)
  count(tostring(status))
end
