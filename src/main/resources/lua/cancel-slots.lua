-- cancel-slots.lua: the hospital cancelled these slots; reserve.lua refuses them from now on, on every
-- instance. Set before PostgreSQL records the cancellation, so no new reservation starts meanwhile; a
-- reservation already taken is caught by PostgreSQL (the booking INSERT skips a cancelled slot). Works on
-- a cold department-day too: warm.lua keeps the marker and sets it again from PostgreSQL.
-- KEYS[1] cancelled-slots hash of the department-day
-- ARGV[1] expire-at millis of the department-day's keys  ARGV[2..] slot ids
-- Returns the number of slots newly marked.
local marked = 0
for i = 2, #ARGV do
  marked = marked + redis.call('HSET', KEYS[1], ARGV[i], '1')
end
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return marked
