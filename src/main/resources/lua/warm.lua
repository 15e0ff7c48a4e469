-- warm.lua: load slots of one department-day into Redis (publishing, or rebuilding after Redis lost
-- its state: I4). Slots already present are left alone, so concurrent warmers on several instances
-- and re-publishing are harmless; a slot is warmed exactly once from one PostgreSQL snapshot.
-- A rebuild of a day whose waitlist has WAITING entries (ARGV[2].waiting, from PostgreSQL) puts them back in the
-- waiting set and parks the free seats of the open slots it loads (ARGV[2].open: released, not started) for them
-- (I12): Redis lost which seats were parked, and while entries wait no returned seat may reach the open crowd.
-- Slots not released yet keep their seats for their release minute. Publishing passes no entries.
-- KEYS[1] warm marker  KEYS[2] capacity hash  KEYS[3] slot views hash  KEYS[4] holders hash
-- KEYS[5] reservations hash  KEYS[6] accounts hash  KEYS[7] cancelled-slots hash
-- KEYS[8] waiting set  KEYS[9] parked list ("slotId seat")
-- KEYS[10..] free-seat list of each slot, in the order of ARGV[2].slots
-- ARGV[1] expire-at millis for every key of the department-day
-- ARGV[2] JSON {"slots":[{"id","capacity","view","cancelled","free":[seat...],
--                         "active":[{"id","seat","patient","created","account"}...]}],
--               "waiting":[entry id...], "open":[slot id...]}
-- Returns {slots newly warmed, seats parked}.
local spec = cjson.decode(ARGV[2])
local waiting = spec.waiting or {}
local open = {}
for _, id in ipairs(spec.open or {}) do
  open[id] = true
end
for _, id in ipairs(waiting) do
  redis.call('SADD', KEYS[8], id)
end
local warmed, parked = 0, 0
for i, slot in ipairs(spec.slots) do
  local seats = KEYS[9 + i]
  -- A cancelled slot stays refused whether or not it was warm before (a marker lost with Redis comes back).
  if slot.cancelled then
    redis.call('HSET', KEYS[7], slot.id, '1')
  end
  if redis.call('HSETNX', KEYS[2], slot.id, slot.capacity) == 1 then
    warmed = warmed + 1
    redis.call('HSET', KEYS[3], slot.id, slot.view)
    redis.call('DEL', seats)
    local free = slot.free
    if #waiting > 0 and open[slot.id] and not slot.cancelled then
      for _, seat in ipairs(free) do
        redis.call('RPUSH', KEYS[9], slot.id .. ' ' .. seat)
        parked = parked + 1
      end
    else
      for from = 1, #free, 500 do
        redis.call('RPUSH', seats, unpack(free, from, math.min(from + 499, #free)))
      end
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
for k = 1, 9 do
  redis.call('PEXPIREAT', KEYS[k], ARGV[1])
end
return {warmed, parked}
