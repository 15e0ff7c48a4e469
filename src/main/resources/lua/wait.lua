-- wait.lua: a waitlist entry committed in PostgreSQL starts waiting in Redis: from now on release.lua parks the
-- department-day's returned seats for the waitlist (I12). Idempotent. The set expires with the day's other keys.
-- KEYS[1] warm marker  KEYS[2] waiting set
-- ARGV[1] entry id
-- Returns {"COLD"} (the day is not in Redis: the reconciler adds the entry once it is) | {"WAITING", count}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'COLD'}
end
redis.call('SADD', KEYS[2], ARGV[1])
local expiry = redis.call('PEXPIRETIME', KEYS[1])
if expiry > 0 then
  redis.call('PEXPIREAT', KEYS[2], expiry)
end
return {'WAITING', redis.call('SCARD', KEYS[2])}
