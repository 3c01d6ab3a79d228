--[[
  acquire: takes one call of the budget for a lane, unless the endpoint's error guard holds it or the budget has
  no call for the lane now.

  KEYS[1]  budget state hash          <prefix>:{<budgetKey>}:budget
  KEYS[2]  error log of the endpoint  <prefix>:{<budgetKey>}:errors:<endpoint> (sorted set, score = time)
  ARGV[1..7] the budget's settings (includes/budget.lua), then
  ARGV[8]  lane: 'sync' | 'order'
  ARGV[9]  errors per window at which the guard holds the endpoint
  ARGV[10] the error window (ms)

  Returns, as name/value pairs: granted 1; or granted 0, until (epoch ms), reason
  ('guarded' | 'minute' | 'day' | 'pacing' | 'orders-waiting').
]]
--- @include "budget"

local lane = ARGV[8]
local guardLimit = tonumber(ARGV[9])
local guardWindow = tonumber(ARGV[10])

local function refuse(untilT, reason)
  return { 'granted', 0, 'until', untilT, 'reason', reason }
end

-- An endpoint that neared Exact's error block is not called, whatever the budget: nothing is taken or registered.
-- It is free again once enough errors aged out of the window to bring the count below the limit.
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - guardWindow)
local errors = redis.call('ZCARD', KEYS[2])
if errors >= guardLimit then
  local oldest = redis.call('ZRANGE', KEYS[2], errors - guardLimit, errors - guardLimit, 'WITHSCORES')
  return refuse(tonumber(oldest[2]) + guardWindow, 'guarded')
end

local function refuseOrder(untilT, reason)
  -- Register the waiting order so sync yields until it had its turn (a little after `untilT`).
  -- Capped at one minute window: an order refused for longer is delayed by its job, not waiting for a slot.
  local grace = math.min(1000, math.max(50, math.floor(s.mlen / 10)))
  s.ow = math.max(s.ow, now + math.min(untilT - now, s.mlen) + grace)
  return refuse(untilT, reason)
end

roll('m')
roll('d')
local result
if s.mb > now then
  result = lane == 'order' and refuseOrder(s.mb, 'minute') or refuse(s.mb, 'minute')
elseif s.db > now then
  result = lane == 'order' and refuseOrder(s.db, 'day') or refuse(s.db, 'day')
elseif lane == 'order' then
  if used('d') >= s.dl then
    result = refuseOrder(s.dr, 'day')
  elseif used('m') >= s.ml then
    result = refuseOrder(s.mr, 'minute')
  else
    s.mo = s.mo + 1
    s['do'] = s['do'] + 1
    s.ow = 0
    result = { 'granted', 1 }
  end
else
  if syncRoom('d') <= 0 then
    result = refuse(s.dr, 'day')
  elseif syncRoom('m') <= 0 then
    result = refuse(s.mr, 'minute')
  elseif s.ow > now then
    result = refuse(s.ow, 'orders-waiting')
  elseif s.mn > now then
    result = refuse(s.mn, 'pacing')
  else
    s.ms = s.ms + 1
    s.ds = s.ds + 1
    -- Spread the rest of the sync share over the rest of the window, keeping the last slot before the reset.
    local left = syncRoom('m')
    if left > 0 then s.mn = now + math.floor((s.mr - now) / (left + 1)) else s.mn = 0 end
    result = { 'granted', 1 }
  end
end
save()
return result
