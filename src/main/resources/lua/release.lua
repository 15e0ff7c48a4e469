-- release.lua: give a reservation's seat back (cancellation, failed commit, expired reservation or hold or offer).
-- Idempotent: a reservation released twice returns its seat once.
-- I12: while the department-day has waiting waitlist entries, a returned seat is parked for them instead of going
-- back to the free list, in this same atomic step, so the open crowd never sees it (WaitlistOfferer offers it).
-- KEYS[1] warm marker  KEYS[2] free-seat list of the slot  KEYS[3] holders hash
-- KEYS[4] reservations hash  KEYS[5] pending sorted set  KEYS[6] accounts hash
-- KEYS[7] waiting set (ids of WAITING waitlist entries)  KEYS[8] parked list ("slotId seat" for the waitlist)
-- ARGV[1] reservationId  ARGV[2] patientId  ARGV[3] "1" to return the seat, "0" to drop it
--         ("0" when PostgreSQL already holds that seat for someone else: pushing it back would oversell)
-- ARGV[4] (optional) the reservation that replaced this one in the same department-day (a committed
--         reschedule): the patient's hold passes to it instead of ending
-- Returns {"COLD"} | {"UNKNOWN"} | {"RELEASED", seat} | {"PARKED", seat} (returned, kept for the waitlist)
if redis.call('EXISTS', KEYS[1]) == 0 then
  -- Redis lost this department-day: the rebuild from PostgreSQL will count the seat correctly.
  -- Pushing into a cold list now would put a seat in twice once the rebuild runs.
  return {'COLD'}
end
redis.call('ZREM', KEYS[5], ARGV[1])
if redis.call('HGET', KEYS[3], ARGV[2]) == ARGV[1] then
  -- Only to a successor that still holds its reservation (it may have expired or been cancelled since):
  -- a hold pointing at nothing would refuse the patient that day for good.
  if ARGV[4] and ARGV[4] ~= '' and redis.call('HEXISTS', KEYS[4], ARGV[4]) == 1 then
    redis.call('HSET', KEYS[3], ARGV[2], ARGV[4])
  else
    redis.call('HDEL', KEYS[3], ARGV[2])
  end
end
local record = redis.call('HGET', KEYS[4], ARGV[1])
if not record then
  return {'UNKNOWN'}
end
redis.call('HDEL', KEYS[4], ARGV[1])
local seat, account = string.match(record, '^%S+ (%d+) %S+ %d+ (.+)$')
if account and redis.call('HINCRBY', KEYS[6], account, -1) <= 0 then
  redis.call('HDEL', KEYS[6], account)
end
seat = seat or string.match(record, '^%S+ (%d+) ')
if ARGV[3] == '1' then
  if redis.call('SCARD', KEYS[7]) > 0 then
    local slot = string.match(record, '^(%S+) ')
    redis.call('RPUSH', KEYS[8], slot .. ' ' .. seat)
    local expiry = redis.call('PEXPIRETIME', KEYS[1])
    if expiry > 0 then
      redis.call('PEXPIREAT', KEYS[8], expiry)
    end
    return {'PARKED', seat}
  end
  redis.call('RPUSH', KEYS[2], seat)
end
return {'RELEASED', seat}
