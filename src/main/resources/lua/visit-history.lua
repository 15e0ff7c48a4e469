-- visit-history.lua: writes completed visits into one patient's visit history (issue 10 §5, VisitHistories).
-- One key and no hash tag: the history is read on its own before reserve.lua, never inside a department-day's
-- script, so on a Redis Cluster it lives on whichever shard its key hashes to.
-- KEYS[1] the patient's history hash   "HOSPITAL:DEPARTMENT" -> epoch day of the latest COMPLETED visit there
-- ARGV[1] epoch millis until which the history must be kept (an expiry already later is never shortened)
-- ARGV[2] "merge": a visit just completed; a field only ever moves forward, so an older write landing late
--                  cannot take a newer visit back out
--         "replace": PostgreSQL's history of the patient; the hash becomes exactly that, dropping visits
--                  PostgreSQL does not have (a database restored from a backup). A visit completed after that
--                  read and written just before may be dropped too: a missing visit is the safe direction, the
--                  booking INSERT and the follow-up check ask PostgreSQL again.
-- ARGV[3], ARGV[4], ... pairs of field and epoch day
-- Returns the number of fields written.
if ARGV[2] == 'replace' then
  redis.call('DEL', KEYS[1])
end
local changed = 0
for i = 3, #ARGV, 2 do
  local current = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '') or -1
  if tonumber(ARGV[i + 1]) > current then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    changed = changed + 1
  end
end
-- PEXPIRETIME: -2 no such key (nothing was written), -1 no expiry yet.
local expiry = redis.call('PEXPIRETIME', KEYS[1])
if expiry == -1 or (expiry >= 0 and expiry < tonumber(ARGV[1])) then
  redis.call('PEXPIREAT', KEYS[1], ARGV[1])
end
return changed
