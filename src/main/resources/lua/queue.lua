-- queue.lua: the waiting room's line of one QUEUE department-day (issue 11 §1); every key carries the day's hash
-- tag, so each call is one atomic step on one shard. PostgreSQL holds every ticket first (queue_ticket); this line
-- decides positions and, at the back, admission instants.
--   Before the release a ticket enters with its draw (uniform in [0, 1), drawn by the service): the draws ARE the
--   random order, and nobody sees a position until the release. After the release (or once anyone has joined the
--   back) a ticket is the n-th to join: score 1 + n, admitted at max(now, the back's next free instant), which then
--   moves on by one admission interval. So admissions never exceed admitPerSecond, whichever instance placed them.
--   Positions never move: a superseded ticket keeps its place.
-- KEYS[1] loaded marker  KEYS[2] line (zset id -> score)  KEYS[3] tickets (hash id -> "admitMicros account", "-" for
--         a drawn ticket)  KEYS[4] meta (hash: joined, tail in µs)
-- ARGV[1] operation;  ARGV[2] the release's identity (its instant in µs): the loaded marker holds it, and a line
--         loaded for another release of the same hash tag (a database restored or recreated behind Redis) is cold
--   look   ARGV[3] ticket id
--   place  ARGV[3] ticket id  ARGV[4] account  ARGV[5] draw ('' for none)  ARGV[6] now (µs)  ARGV[7] admission
--          interval (µs)  ARGV[8] expire-at (ms)
--          ARGV[9] joined, ARGV[10] admit (µs): a placement PostgreSQL recorded that the line lost (else '')
--   load   ARGV[3] expire-at (ms)  ARGV[4] admission interval (µs)  ARGV[5] '1' on the first chunk ARGV[6] '1' on
--          the last  ARGV[7..] per ticket: id, account, draw or '', joined or '', admit (µs) or ''
-- Replies: look and place: {'COLD'} | {'UNKNOWN'} | {'FOUND', record, rank (0-based), score};
--          load: {'LOADED', n} | {'WARM'}
local op = ARGV[1]

local function look(id)
  local record = redis.call('HGET', KEYS[3], id)
  if not record then
    return {'UNKNOWN'}
  end
  return {'FOUND', record, tostring(redis.call('ZRANK', KEYS[2], id)), redis.call('ZSCORE', KEYS[2], id)}
end

local function expire(at)
  for k = 1, 4 do
    redis.call('PEXPIREAT', KEYS[k], at)
  end
end

local release = ARGV[2]
local marker = redis.call('GET', KEYS[1])

if op == 'load' then
  if marker == release then
    return {'WARM'}
  end
  if ARGV[5] == '1' then
    redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4]) -- a stale line, or an earlier partial load
  end
  local interval = tonumber(ARGV[4])
  local joinedMax = tonumber(redis.call('HGET', KEYS[4], 'joined') or '0')
  local tail = tonumber(redis.call('HGET', KEYS[4], 'tail') or '0')
  local n = 0
  for i = 7, #ARGV, 5 do
    local id, account, draw, joined, admit = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
    if joined ~= '' then
      redis.call('ZADD', KEYS[2], 1 + tonumber(joined), id)
      redis.call('HSET', KEYS[3], id, admit .. ' ' .. account)
      joinedMax = math.max(joinedMax, tonumber(joined))
      tail = math.max(tail, tonumber(admit) + interval)
      n = n + 1
    elseif draw ~= '' then
      redis.call('ZADD', KEYS[2], draw, id)
      redis.call('HSET', KEYS[3], id, '- ' .. account)
      n = n + 1
    end -- else: its placement was in flight when Redis was lost; its request (or a look) places it again
  end
  if joinedMax > 0 then
    redis.call('HSET', KEYS[4], 'joined', string.format('%d', joinedMax), 'tail', string.format('%.3f', tail))
  end
  if ARGV[6] == '1' then
    redis.call('SET', KEYS[1], release)
  end
  expire(ARGV[3])
  return {'LOADED', tostring(n)}
end

if marker ~= release then
  return {'COLD'}
end
local id = ARGV[3]
if op == 'look' or redis.call('HEXISTS', KEYS[3], id) == 1 then
  return look(id)
end

-- place
local account, draw, now, interval = ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local releaseMicros = tonumber(release)
local joined = tonumber(redis.call('HGET', KEYS[4], 'joined') or '0')
if ARGV[9] ~= '' then
  -- Restore: keep the place it was given (and told); the back of the line stays behind it.
  local was, admit = tonumber(ARGV[9]), tonumber(ARGV[10])
  redis.call('ZADD', KEYS[2], 1 + was, id)
  redis.call('HSET', KEYS[3], id, ARGV[10] .. ' ' .. account)
  local tail = tonumber(redis.call('HGET', KEYS[4], 'tail') or '0')
  redis.call('HSET', KEYS[4], 'joined', string.format('%d', math.max(joined, was)),
             'tail', string.format('%.3f', math.max(tail, admit + interval)))
elseif draw ~= '' and now < releaseMicros and joined == 0 then
  redis.call('ZADD', KEYS[2], draw, id)
  redis.call('HSET', KEYS[3], id, '- ' .. account)
else
  -- The back of the line starts where the drawn tickets end: release + (number drawn) intervals.
  local tail = tonumber(redis.call('HGET', KEYS[4], 'tail') or '0')
  if joined == 0 then
    tail = releaseMicros + redis.call('ZCOUNT', KEYS[2], 0, '(1') * interval
  end
  local admit = math.max(now, tail)
  joined = joined + 1
  redis.call('HSET', KEYS[4], 'joined', string.format('%d', joined), 'tail', string.format('%.3f', admit + interval))
  redis.call('ZADD', KEYS[2], 1 + joined, id)
  redis.call('HSET', KEYS[3], id, string.format('%d', math.floor(admit)) .. ' ' .. account)
end
expire(ARGV[8])
return look(id)
