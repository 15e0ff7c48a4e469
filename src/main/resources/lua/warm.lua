-- warm.lua: load slots of one department-day into Redis (publishing, or rebuilding after Redis lost
-- its state: I4). Slots already present are left alone, so concurrent warmers on several instances
-- and re-publishing are harmless; a slot is warmed exactly once from one PostgreSQL snapshot.
-- KEYS[1] warm marker  KEYS[2] capacity hash  KEYS[3] slot views hash  KEYS[4] holders hash
-- KEYS[5] reservations hash  KEYS[6] accounts hash  KEYS[7] cancelled-slots hash
-- KEYS[8..] free-seat list of each slot, in the order of ARGV[2].slots
-- ARGV[1] expire-at millis for every key of the department-day
-- ARGV[2] JSON {"slots":[{"id","capacity","view","cancelled","free":[seat...],
--                         "active":[{"id","seat","patient","created","account"}...]}]}
-- Returns the number of slots newly warmed.
local spec = cjson.decode(ARGV[2])
local warmed = 0
for i, slot in ipairs(spec.slots) do
  local seats = KEYS[7 + i]
  -- A cancelled slot stays refused whether or not it was warm before (a marker lost with Redis comes back).
  if slot.cancelled then
    redis.call('HSET', KEYS[7], slot.id, '1')
  end
  if redis.call('HSETNX', KEYS[2], slot.id, slot.capacity) == 1 then
    warmed = warmed + 1
    redis.call('HSET', KEYS[3], slot.id, slot.view)
    redis.call('DEL', seats)
    local free = slot.free
    for from = 1, #free, 500 do
      redis.call('RPUSH', seats, unpack(free, from, math.min(from + 499, #free)))
    end
    for _, b in ipairs(slot.active) do
      redis.call('HSET', KEYS[4], b.patient, b.id)
      redis.call('HSET', KEYS[5], b.id, slot.id .. ' ' .. b.seat .. ' ' .. b.patient .. ' ' .. b.created .. ' ' .. b.account)
      redis.call('HINCRBY', KEYS[6], b.account, 1)
    end
    redis.call('PEXPIREAT', seats, ARGV[1])
  end
end
redis.call('SET', KEYS[1], '1')
for k = 1, 7 do
  redis.call('PEXPIREAT', KEYS[k], ARGV[1])
end
return warmed
