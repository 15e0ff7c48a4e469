-- reserve.lua: the whole admission decision for one booking attempt, atomically.
-- Every key shares the department-day hash tag, so this runs on one Redis Cluster shard.
-- KEYS[1] warm marker of the department-day (absent: Redis lost its state, rebuild from PostgreSQL first)
-- KEYS[2] capacity hash        slotId -> capacity (absent field: slot not warmed yet)
-- KEYS[3] free-seat list of the slot (seat numbers 1..capacity not held by anyone)
-- KEYS[4] holders hash         patientId -> reservationId (one active booking per patient per department-day)
-- KEYS[5] reservations hash    reservationId -> "slotId seat patientId createdMillis accountId"
-- KEYS[6] pending sorted set   reservationId scored by the instant its PostgreSQL commit must be done by
-- KEYS[7] accounts hash        accountId -> reservations it holds in this department-day
-- KEYS[8] cancelled hash       slotId -> "1" for slots the hospital cancelled (never bookable again)
-- ARGV[1] slotId  ARGV[2] patientId  ARGV[3] reservationId  ARGV[4] now millis  ARGV[5] deadline millis
-- ARGV[6] accountId  ARGV[7] most reservations one account may hold in a department-day
-- ARGV[8] (optional) the reservation this one replaces: a reschedule within the same department-day.
--         The patient's hold stays with the old reservation until the move commits (release.lua then
--         hands it over), and the account cap does not refuse a move that adds no booking.
-- Returns {"COLD"} | {"CANCELLED"} | {"ALREADY_BOOKED", reservationId} | {"ACCOUNT_LIMIT"} | {"SOLD_OUT"}
--       | {"RESERVED", seat, remaining}
-- A retry of the same attempt (the same reservationId, derived from the Idempotency-Key) on the same
-- slot gets its own seat back instead of "already booked" or a second seat: its first try may have
-- reserved the seat and then lost the answer (a timeout), and the parent must not be locked out by
-- their own retry.
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  return {'COLD'}
end
if redis.call('HEXISTS', KEYS[8], ARGV[1]) == 1 then
  return {'CANCELLED'}
end
local own = redis.call('HGET', KEYS[5], ARGV[3])
if own then
  local slot, seat = string.match(own, '^(%S+) (%d+) ')
  if slot == ARGV[1] then
    redis.call('ZADD', KEYS[6], ARGV[5], ARGV[3])
    return {'RESERVED', seat, redis.call('LLEN', KEYS[3])}
  end
end
local held = redis.call('HGET', KEYS[4], ARGV[2])
local swap = held and held == ARGV[8]
if held and not swap then
  return {'ALREADY_BOOKED', held}
end
-- One account cannot collect places by rotating its patients: the cap holds on every instance.
if not swap and tonumber(redis.call('HGET', KEYS[7], ARGV[6]) or '0') >= tonumber(ARGV[7]) then
  return {'ACCOUNT_LIMIT'}
end
local seat = redis.call('LPOP', KEYS[3])
if not seat then
  return {'SOLD_OUT'}
end
if not swap then
  redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
end
redis.call('HSET', KEYS[5], ARGV[3], ARGV[1] .. ' ' .. seat .. ' ' .. ARGV[2] .. ' ' .. ARGV[4] .. ' ' .. ARGV[6])
redis.call('HINCRBY', KEYS[7], ARGV[6], 1)
redis.call('ZADD', KEYS[6], ARGV[5], ARGV[3])
return {'RESERVED', seat, redis.call('LLEN', KEYS[3])}
