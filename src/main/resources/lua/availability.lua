-- availability.lua: every slot of one department-day with its remaining seats, in one round trip.
-- The free-seat lists are read by name (ARGV[1] .. slotId): they carry the same hash tag as KEYS,
-- so this stays on one Redis Cluster shard.
-- KEYS[1] warm marker  KEYS[2] slot views hash  KEYS[3] cancelled-slots hash
-- ARGV[1] key prefix of the free-seat lists
-- Returns false when the department-day is cold, else {view1, remaining1, cancelled1, view2, ...}
-- (cancelled: 1 when the hospital cancelled the slot, its remaining then 0)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return false
end
local all = redis.call('HGETALL', KEYS[2])
local out = {}
for i = 1, #all, 2 do
  local cancelled = redis.call('HEXISTS', KEYS[3], all[i])
  out[#out + 1] = all[i + 1]
  out[#out + 1] = cancelled == 1 and 0 or redis.call('LLEN', ARGV[1] .. all[i])
  out[#out + 1] = cancelled
end
return out
