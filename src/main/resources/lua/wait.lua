-- wait.lua: a waitlist entry committed in PostgreSQL starts waiting in Redis: from now on release.lua parks the
-- department-day's returned seats for the waitlist (I12). Idempotent. The set expires with the day's other keys.
-- A seat that came back between the join's check ("no free place") and this script is in a free list: it is parked
-- too, in this same step, so no place reaches the crowd while an entry waits.
-- KEYS[1] warm marker  KEYS[2] waiting set  KEYS[3] parked list ("slotId seat")
-- ARGV[1] entry id
-- ARGV[2] prefix of the day's free-seat lists (carries the day's hash tag: same shard, as availability.lua)
-- ARGV[3] space-separated ids of the day's slots open for booking now (released, not started, not cancelled)
-- Returns {"COLD"} (the day is not in Redis: the reconciler adds the entry once it is) | {"WAITING", count, seats parked}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'COLD'}
end
redis.call('SADD', KEYS[2], ARGV[1])
local parked = 0
for slot in string.gmatch(ARGV[3], '%S+') do
  while true do
    local seat = redis.call('LPOP', ARGV[2] .. slot)
    if not seat then
      break
    end
    redis.call('RPUSH', KEYS[3], slot .. ' ' .. seat)
    parked = parked + 1
  end
end
local expiry = redis.call('PEXPIRETIME', KEYS[1])
if expiry > 0 then
  redis.call('PEXPIREAT', KEYS[2], expiry)
  if parked > 0 then
    redis.call('PEXPIREAT', KEYS[3], expiry)
  end
end
return {'WAITING', redis.call('SCARD', KEYS[2]), parked}
