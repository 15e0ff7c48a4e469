-- offer.lua: hand the first parked seat of the department-day to a waitlist entry's patient (I12), atomically.
-- The seat becomes a reservation exactly as reserve.lua makes one (holders, reservations, accounts, pending), so the
-- reaper, release.lua and the reconciler treat an offer like any booking: if its PostgreSQL commit never lands,
-- the reaper releases it and release.lua parks it again for the next entry.
-- Seats are taken in the order they were parked. A parked seat of a slot that can no longer be offered (started,
-- cancelled: not in ARGV[8]) goes to its free list, where nobody can book it either (reserve.lua and the booking
-- rules refuse such slots); the next parked seat is tried.
-- KEYS[1] warm marker  KEYS[2] parked list ("slotId seat")  KEYS[3] holders hash  KEYS[4] reservations hash
-- KEYS[5] pending sorted set  KEYS[6] accounts hash  KEYS[7] cancelled-slots hash
-- ARGV[1] prefix of the day's free-seat lists (carries the day's hash tag: same shard, as availability.lua)
-- ARGV[2] patientId  ARGV[3] reservationId (the offer's booking id)  ARGV[4] now millis  ARGV[5] commit deadline millis
-- ARGV[6] accountId  ARGV[7] most reservations one account may hold in a department-day
-- ARGV[8] space-separated ids of the slots that may be offered now (released, not started)
-- Returns {"COLD"} | {"ALREADY_BOOKED"} | {"ACCOUNT_LIMIT"} | {"NONE"} (nothing parked) | {"OFFERED", slotId, seat}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'COLD'}
end
if redis.call('LLEN', KEYS[2]) == 0 then
  return {'NONE'}
end
if redis.call('HEXISTS', KEYS[3], ARGV[2]) == 1 then
  return {'ALREADY_BOOKED'}
end
if tonumber(redis.call('HGET', KEYS[6], ARGV[6]) or '0') >= tonumber(ARGV[7]) then
  return {'ACCOUNT_LIMIT'}
end
local offerable = {}
for id in string.gmatch(ARGV[8], '%S+') do
  offerable[id] = true
end
while true do
  local parked = redis.call('LPOP', KEYS[2])
  if not parked then
    return {'NONE'}
  end
  local slot, seat = string.match(parked, '^(%S+) (%d+)$')
  if slot then
    if offerable[slot] and redis.call('HEXISTS', KEYS[7], slot) == 0 then
      redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
      redis.call('HSET', KEYS[4], ARGV[3], slot .. ' ' .. seat .. ' ' .. ARGV[2] .. ' ' .. ARGV[4] .. ' ' .. ARGV[6])
      redis.call('HINCRBY', KEYS[6], ARGV[6], 1)
      redis.call('ZADD', KEYS[5], ARGV[5], ARGV[3])
      return {'OFFERED', slot, seat}
    end
    redis.call('RPUSH', ARGV[1] .. slot, seat)
  end
end
