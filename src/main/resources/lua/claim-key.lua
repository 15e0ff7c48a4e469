-- claim-key.lua: one booking attempt claims its Idempotency-Key, or learns who has it (I5).
-- The key's record is a hash: fp (fingerprint of the request), state, owner (the attempt's token) and,
-- once done, response. States:
--   claimed  an attempt is running (a lease: PEXPIRE, so a dead instance blocks the key only that long)
--   done     the attempt changed something (a booking) and its answer is kept for the retention
--   fenced   no attempt is running: the last one did not know whether its claim landed (its reply was
--            lost in a Redis stall) and ended it. Each such attempt leaves a field fence:<token>, so a
--            late copy of its claim, still queued in Redis' socket buffer when the service gave up,
--            changes nothing and cannot lock the parent's retry out for the lease.
-- A refusal or a failure leaves no record at all (settle-key.lua FORGET): it changed nothing, and a
-- retry with the same key runs again.
-- KEYS[1] the key's record
-- ARGV[1] fingerprint  ARGV[2] this attempt's token  ARGV[3] lease in ms
-- ARGV[4] the token of a claim known to be over (its attempt ended on this instance), "" if none
-- Returns {"CLAIMED"} | {"REUSED"} | {"DONE", response} | {"IN_FLIGHT", owner} | {"STALE"}
local state = redis.call('HGET', KEYS[1], 'state')
if state and redis.call('HEXISTS', KEYS[1], 'fence:' .. ARGV[2]) == 1 then
  return {'STALE'}
end
if not state then
  redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'state', 'claimed', 'owner', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'CLAIMED'}
end
if redis.call('HGET', KEYS[1], 'fp') ~= ARGV[1] then
  return {'REUSED'}
end
if state == 'done' then
  return {'DONE', redis.call('HGET', KEYS[1], 'response')}
end
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner == ARGV[2] then
  return {'CLAIMED'}
end
if state == 'fenced' or owner == ARGV[4] then
  redis.call('HSET', KEYS[1], 'state', 'claimed', 'owner', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'CLAIMED'}
end
return {'IN_FLIGHT', owner}
