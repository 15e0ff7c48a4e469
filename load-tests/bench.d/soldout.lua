-- (b) POST /api/v1/bookings on a FULL slot, from many accounts: each request takes the next account of
-- this thread's share (token + that account's own child), so no account hammers.
--   wrk -t N -c N -s soldout.lua <url> -- dir=<data dir> threads=N name=<phase>
--       [accounts=<k>: use only the first k accounts (the same few tokens)] [key=0: no Idempotency-Key] [rate=<r>]
--       [accounts_file=fresh.tsv once=1: each line once (a never-sent token per request); flags a wrap-around]
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

function init(args)
  local opts = parse_args(args)
  phase_name = opts.name or "soldout"
  nthreads = tonumber(opts.threads)
  pacing(opts, nthreads)
  local file = opts.dir .. "/" .. (opts.accounts_file or "accounts.tsv")
  local few = tonumber(opts.accounts or "0")
  if few > 0 then
    local all = read_rows(file)
    accounts = {}
    for i = 1, few do accounts[i] = all[((tid + i - 1) % few) + 1] end
  else
    accounts = read_rows(file, tid, nthreads)
  end
  local f = assert(io.open(opts.dir .. "/soldout.txt"))
  slot = f:read("*l")
  f:close()
  with_key = opts.key ~= "0"
  next_account = 1
  sent = 0
  once = opts.once == "1"
  extra = { reused_tokens = 0 }
  math.randomseed(tid * 7919 + os.time())
  prefix = string.format("b%x-%d-", math.random(0, 0xffffff), tid)
end

function request()
  local a = accounts[next_account]
  next_account = next_account % #accounts + 1
  if once and next_account == 1 then extra.reused_tokens = 1 end
  sent = sent + 1
  local headers = { ["Authorization"] = "Bearer " .. a[1], ["Content-Type"] = "application/json" }
  if with_key then headers["Idempotency-Key"] = prefix .. sent end
  sent_at = now_ms()
  if extra.min_start_ms == nil then extra.min_start_ms = sent_at end
  return wrk.format("POST", "/api/v1/bookings", headers, '{"slotId":"' .. slot .. '","patientId":"' .. a[2] .. '"}')
end

function response(status, headers, body)
  sample("all", now_ms() - sent_at)
  local t = status >= 400 and problem_type(body)
  count(t and (status .. ":" .. t) or tostring(status))
end
