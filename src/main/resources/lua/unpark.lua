-- unpark.lua: the department-day's waitlist has nobody waiting any more: parked seats go back to open booking.
-- PostgreSQL has no WAITING entry for the day (the offerer asked it just before); ARGV[2..] are the ids the waiting
-- set still holds that PostgreSQL says are no longer WAITING (an entry never becomes WAITING again, so removing
-- them is always right). An entry that joined meanwhile is in the set (it is added after its commit): the seats
-- then stay parked and the offerer looks again.
-- KEYS[1] warm marker  KEYS[2] waiting set  KEYS[3] parked list ("slotId seat")
-- ARGV[1] prefix of the day's free-seat lists (carries the day's hash tag: same shard, as availability.lua)
-- ARGV[2..] stale entry ids
-- Returns {"COLD"} | {"WAITING", count} | {"UNPARKED", slotId...} (the slots that got seats back)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'COLD'}
end
for i = 2, #ARGV do
  redis.call('SREM', KEYS[2], ARGV[i])
end
local waiting = redis.call('SCARD', KEYS[2])
if waiting > 0 then
  return {'WAITING', waiting}
end
local reply = {'UNPARKED'}
local seen = {}
while true do
  local parked = redis.call('LPOP', KEYS[3])
  if not parked then
    return reply
  end
  local slot, seat = string.match(parked, '^(%S+) (%d+)$')
  if slot then
    redis.call('RPUSH', ARGV[1] .. slot, seat)
    if not seen[slot] then
      seen[slot] = true
      reply[#reply + 1] = slot
    end
  end
end
