-- settle-key.lua: an attempt that claimed an Idempotency-Key (claim-key.lua) says how it ended.
-- KEYS[1] the key's record
-- ARGV[1] the attempt's token  ARGV[2] DONE | FORGET | FENCE  ARGV[3] fingerprint
-- ARGV[4] time to live in ms (DONE: the retention; FENCE: the claim lease)  ARGV[5] response (DONE only)
--   DONE    the attempt booked: keep its answer for replays
--   FORGET  its claim surely landed and the attempt changed nothing the key must keep: drop the claim
--   FENCE   it cannot tell whether its claim landed: end the claim if it is there, and turn a late copy
--           of it away (fence:<token>) whenever it arrives
-- Returns 1 when the claim was ended here, 0 when the record is another attempt's (a live claim, an answer)
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'done' then
  return 0
end
local ours = (not state) or state == 'fenced' or redis.call('HGET', KEYS[1], 'owner') == ARGV[1]
if ARGV[2] == 'FORGET' then
  if state == 'claimed' and ours then
    -- Fences of earlier attempts stay until they expire: a late claim of theirs may still be queued.
    if redis.call('HLEN', KEYS[1]) > 3 then
      redis.call('HSET', KEYS[1], 'state', 'fenced')
    else
      redis.call('DEL', KEYS[1])
    end
    return 1
  end
  return 0
end
if ARGV[2] == 'DONE' then
  if not ours then
    return 0
  end
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'fp', ARGV[3], 'state', 'done', 'owner', ARGV[1], 'response', ARGV[5])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return 1
end
-- FENCE: even on another attempt's live claim, so that ours can never land on top of it later.
redis.call('HSET', KEYS[1], 'fence:' .. ARGV[1], '1')
if ours then
  redis.call('HSET', KEYS[1], 'fp', ARGV[3], 'state', 'fenced', 'owner', ARGV[1])
end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return ours and 1 or 0
