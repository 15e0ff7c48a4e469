-- reconcile.lua: compare one department-day's Redis inventory with a PostgreSQL snapshot and repair
-- the difference, atomically. Safe to run on every instance at once and at any moment:
--  * a seat PostgreSQL holds for an active booking is never left in the free list (that would oversell);
--  * a reservation without an active row is returned only when it is not pending and older than the
--    grace period, i.e. no commit for it can still be in flight (statement_timeout << grace);
--  * a seat nobody holds (not free, not reserved, not booked, not parked) is returned (a lost release): parked
--    for the waitlist while entries wait (I12), else to the free list;
--  * a parked seat is kept (never lost, never returned twice) unless it is also free, reserved or booked;
--  * the waiting set gets every entry PostgreSQL lists as WAITING (one added by a join whose Redis step failed).
-- KEYS[1] warm marker  KEYS[2] capacity hash  KEYS[3] holders hash  KEYS[4] reservations hash
-- KEYS[5] pending sorted set  KEYS[6] accounts hash (rebuilt from the reservations at the end)
-- KEYS[7] waiting set  KEYS[8] parked list ("slotId seat")
-- KEYS[9..] free-seat list of each slot, in the order of ARGV[3].slots
-- ARGV[1] now millis  ARGV[2] grace millis
-- ARGV[3] JSON {"slots":[{"id","capacity","active":[{"id","seat","patient","created","account"}...]}],
--               "waiting":[entry id...]} read from PostgreSQL before this script runs
-- Returns {"COLD"} when the day is not in Redis (the next booking rebuilds it), else
--         {"RECONCILED", seats removed from free lists, reservations added, seats returned}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'COLD'}
end
local now = tonumber(ARGV[1])
local grace = tonumber(ARGV[2])
local spec = cjson.decode(ARGV[3])
for _, id in ipairs(spec.waiting or {}) do
  redis.call('SADD', KEYS[7], id)
end
local waitlisted = redis.call('SCARD', KEYS[7]) > 0

-- Parked seats by slot; a duplicate is dropped
local parkedBySlot = {}
local parkedOrder = {}
local parkedChanged = false
for _, p in ipairs(redis.call('LRANGE', KEYS[8], 0, -1)) do
  local slot, seat = string.match(p, '^(%S+) (%d+)$')
  seat = tonumber(seat)
  if slot and not (parkedBySlot[slot] and parkedBySlot[slot][seat]) then
    parkedBySlot[slot] = parkedBySlot[slot] or {}
    parkedBySlot[slot][seat] = true
    parkedOrder[#parkedOrder + 1] = {slot = slot, seat = seat}
  else
    parkedChanged = true
  end
end

-- Redis reservations by slot and seat
local bySlot = {}
local all = redis.call('HGETALL', KEYS[4])
for i = 1, #all, 2 do
  local slot, seat, patient, created = string.match(all[i + 1], '^(%S+) (%d+) (%S+) (%d+)')
  if slot then
    bySlot[slot] = bySlot[slot] or {}
    bySlot[slot][tonumber(seat)] = {id = all[i], patient = patient, created = tonumber(created)}
  end
end

local removed, added, returned = 0, 0, 0
for i, slot in ipairs(spec.slots) do
  local seatsKey = KEYS[8 + i]
  if redis.call('HEXISTS', KEYS[2], slot.id) == 1 then
    local reserved = bySlot[slot.id] or {}
    local booked = {}
    for _, b in ipairs(slot.active) do
      booked[b.seat] = b
      if not reserved[b.seat] then
        -- booked in PostgreSQL but unknown to Redis: record it so the seat is never handed out
        redis.call('HSET', KEYS[4], b.id, slot.id .. ' ' .. b.seat .. ' ' .. b.patient .. ' ' .. b.created .. ' ' .. b.account)
        redis.call('HSET', KEYS[3], b.patient, b.id)
        reserved[b.seat] = {id = b.id, patient = b.patient, created = b.created}
        added = added + 1
      end
    end
    for seat, r in pairs(reserved) do
      if not booked[seat] and not redis.call('ZSCORE', KEYS[5], r.id) and r.created < now - grace then
        -- no active row, not waiting for a commit, too old for one to land: a leaked reservation
        redis.call('HDEL', KEYS[4], r.id)
        if redis.call('HGET', KEYS[3], r.patient) == r.id then
          redis.call('HDEL', KEYS[3], r.patient)
        end
        reserved[seat] = nil
      end
    end
    -- A parked seat that is also reserved or booked, or beyond capacity, is not free: it leaves the parked list.
    local parked = parkedBySlot[slot.id] or {}
    for seat in pairs(parked) do
      if reserved[seat] or booked[seat] or seat < 1 or seat > slot.capacity then
        parked[seat] = nil
        parkedChanged = true
        removed = removed + 1
      end
    end
    local free = redis.call('LRANGE', seatsKey, 0, -1)
    local keep, seen = {}, {}
    for _, s in ipairs(free) do
      local seat = tonumber(s)
      if seen[seat] or reserved[seat] or booked[seat] or parked[seat] or seat < 1 or seat > slot.capacity then
        removed = removed + 1
      else
        seen[seat] = true
        keep[#keep + 1] = seat
      end
    end
    for seat = 1, slot.capacity do
      if not seen[seat] and not reserved[seat] and not booked[seat] and not parked[seat] then
        if waitlisted then
          parked[seat] = true
          parkedBySlot[slot.id] = parked
          parkedOrder[#parkedOrder + 1] = {slot = slot.id, seat = seat}
          parkedChanged = true
        else
          keep[#keep + 1] = seat
        end
        returned = returned + 1
      end
    end
    if removed + returned > 0 or #keep ~= #free then
      redis.call('DEL', seatsKey)
      for from = 1, #keep, 500 do
        redis.call('RPUSH', seatsKey, unpack(keep, from, math.min(from + 499, #keep)))
      end
    end
  end
end
if parkedChanged then
  redis.call('DEL', KEYS[8])
  for _, p in ipairs(parkedOrder) do
    if parkedBySlot[p.slot] and parkedBySlot[p.slot][p.seat] then
      redis.call('RPUSH', KEYS[8], p.slot .. ' ' .. p.seat)
      parkedBySlot[p.slot][p.seat] = nil -- once
    end
  end
  local expiry = redis.call('PEXPIRETIME', KEYS[1])
  if expiry > 0 and redis.call('EXISTS', KEYS[8]) == 1 then
    redis.call('PEXPIREAT', KEYS[8], expiry)
  end
end
-- A patient's hold must name a reservation that exists (one that expired or was cancelled while a
-- reschedule handed the hold over would otherwise refuse the patient that day for good).
local holders = redis.call('HGETALL', KEYS[3])
for i = 1, #holders, 2 do
  if redis.call('HEXISTS', KEYS[4], holders[i + 1]) == 0 then
    redis.call('HDEL', KEYS[3], holders[i])
  end
end
-- The per-account counts are derived from the reservations: recount them from what is now true.
redis.call('DEL', KEYS[6])
local now_all = redis.call('HGETALL', KEYS[4])
for i = 1, #now_all, 2 do
  local account = string.match(now_all[i + 1], '^%S+ %d+ %S+ %d+ (.+)$')
  if account then
    redis.call('HINCRBY', KEYS[6], account, 1)
  end
end
return {'RECONCILED', removed, added, returned}
