-- The rate-budget governor: one atomic script for every operation on one budget key (Exact host + division).
--
-- KEYS[1]  budget state hash          exs:{<budgetKey>}:budget
-- KEYS[2]  error log of one endpoint  exs:{<budgetKey>}:errors:<endpoint> (sorted set, score = time)
-- ARGV     op, now, lane, default minute limit, default day limit, default minute length, default day length,
--          sync reserve per minute, sync reserve per day, then the op's own arguments.
--
-- State fields, prefix m = minute window, d = day window:
--   l limit, len window length, r end of the current window (reset), hr last reset a header confirmed,
--   s / o calls granted to sync / order in the current window, hu calls Exact reported used (limit - remaining),
--   b exhausted (after a 429) until; mn = earliest next sync grant (pacing); ow = a refused order waits until
--   then (sync yields meanwhile); seq = error member counter. Every time is the caller's clock, never Redis's.

local op = ARGV[1]
local now = tonumber(ARGV[2])
local lane = ARGV[3]
local defaults = { ml = tonumber(ARGV[4]), dl = tonumber(ARGV[5]), mlen = tonumber(ARGV[6]), dlen = tonumber(ARGV[7]) }
local reserve = { m = tonumber(ARGV[8]), d = tonumber(ARGV[9]) }

-- A learned window shorter than this is taken for header noise.
local MIN_WINDOW = 100

local FIELDS = { 'ml', 'mlen', 'mr', 'mhr', 'ms', 'mo', 'mhu', 'mb', 'mn', 'dl', 'dlen', 'dr', 'dhr', 'ds', 'do', 'dhu', 'db', 'ow' }
local raw = redis.call('HMGET', KEYS[1], unpack(FIELDS))
local s = {}
local stored = {}
for i, f in ipairs(FIELDS) do
  stored[f] = tonumber(raw[i])
  s[f] = stored[f] or defaults[f] or 0
end

local function used(p)
  return math.max(s[p .. 's'] + s[p .. 'o'], s[p .. 'hu'])
end

-- The sync lane may take at most `limit - reserve` calls of a window, and must leave the part of the reserve that
-- orders have not used yet free at all times: orders are guaranteed `reserve` calls, and orders that stay within
-- it do not shrink sync's share. Never more than half a window is reserved, so a small limit cannot starve sync.
local function reserveOf(p)
  return math.min(reserve[p], math.floor(s[p .. 'l'] / 2))
end

local function syncRoom(p)
  local limit = s[p .. 'l']
  local res = reserveOf(p)
  local byShare = limit - res - s[p .. 's']
  local byTotal = limit - math.max(0, res - s[p .. 'o']) - used(p)
  return math.min(byShare, byTotal)
end

local function clearWindow(p)
  s[p .. 's'] = 0
  s[p .. 'o'] = 0
  s[p .. 'hu'] = 0
  if p == 'm' then s.mn = 0 end
end

-- Windows are fixed and aligned to multiples of their length (next whole minute, 00:00 UTC), like Exact's.
local function roll(p)
  local len = s[p .. 'len']
  local r = s[p .. 'r']
  if r == 0 then
    s[p .. 'r'] = (math.floor(now / len) + 1) * len
    clearWindow(p)
  elseif now >= r then
    s[p .. 'r'] = r + (math.floor((now - r) / len) + 1) * len
    clearWindow(p)
  end
end

local function num(v)
  if v == nil or v == '' then return nil end
  return tonumber(v)
end

-- Headers are the truth: learn the limit, the window's end and length, and remaining = min(local, header).
local function learn(p, limit, remaining, reset)
  if limit then s[p .. 'l'] = limit end
  if reset then
    if reset <= now then return end -- the answer belongs to a window that is already over
    local hr = s[p .. 'hr']
    if hr > 0 and reset > hr then
      local candidate = reset - hr
      if candidate >= MIN_WINDOW and candidate < s[p .. 'len'] then s[p .. 'len'] = candidate end
    end
    if reset > s[p .. 'r'] then
      clearWindow(p) -- Exact is already in a later window than our clock says
    elseif reset < s[p .. 'r'] and p == 'm' then
      s.mn = 0 -- the window is shorter than guessed: pacing computed from the guess would waste it
    end
    s[p .. 'r'] = reset
    s[p .. 'hr'] = reset
  end
  if remaining then
    s[p .. 'hu'] = math.max(s[p .. 'hu'], s[p .. 'l'] - remaining)
  end
end

-- Writes only what changed: most acquires under load are refusals that change nothing.
local function save()
  local args = {}
  for _, f in ipairs(FIELDS) do
    if s[f] ~= stored[f] then
      args[#args + 1] = f
      args[#args + 1] = s[f]
    end
  end
  if #args == 0 then return end
  redis.call('HSET', KEYS[1], unpack(args))
  redis.call('PEXPIRE', KEYS[1], 2 * s.dlen + s.mlen)
end

local function refuseOrder(untilT, reason)
  -- Register the waiting order so sync yields until it had its turn (a little after `untilT`).
  -- Capped at one minute window: an order refused for longer is delayed by its job, not waiting for a slot.
  local grace = math.min(1000, math.max(50, math.floor(s.mlen / 10)))
  s.ow = math.max(s.ow, now + math.min(untilT - now, s.mlen) + grace)
  return { 0, untilT, reason }
end

if op == 'acquire' then
  roll('m')
  roll('d')
  local result
  if s.mb > now then
    result = lane == 'order' and refuseOrder(s.mb, 'minute') or { 0, s.mb, 'minute' }
  elseif s.db > now then
    result = lane == 'order' and refuseOrder(s.db, 'day') or { 0, s.db, 'day' }
  elseif lane == 'order' then
    if used('d') >= s.dl then
      result = refuseOrder(s.dr, 'day')
    elseif used('m') >= s.ml then
      result = refuseOrder(s.mr, 'minute')
    else
      s.mo = s.mo + 1
      s['do'] = s['do'] + 1
      s.ow = 0
      result = { 1 }
    end
  else
    if syncRoom('d') <= 0 then
      result = { 0, s.dr, 'day' }
    elseif syncRoom('m') <= 0 then
      result = { 0, s.mr, 'minute' }
    elseif s.ow > now then
      result = { 0, s.ow, 'orders-waiting' }
    elseif s.mn > now then
      result = { 0, s.mn, 'pacing' }
    else
      s.ms = s.ms + 1
      s.ds = s.ds + 1
      -- Spread the rest of the sync share over the rest of the window, keeping the last slot before the reset.
      local left = syncRoom('m')
      if left > 0 then s.mn = now + math.floor((s.mr - now) / (left + 1)) else s.mn = 0 end
      result = { 1 }
    end
  end
  save()
  return result
end

if op == 'record' then
  roll('m')
  roll('d')
  local status = tonumber(ARGV[10])
  local h = { ml = num(ARGV[11]), mrem = num(ARGV[12]), mreset = num(ARGV[13]),
              dl = num(ARGV[14]), drem = num(ARGV[15]), dreset = num(ARGV[16]) }
  learn('m', h.ml, h.mrem, h.mreset)
  learn('d', h.dl, h.drem, h.dreset)
  if status == 429 then
    -- Exact sends only the exhausted window's headers, sometimes none: then assume the minute window.
    local minuteHeaders = h.ml or h.mrem or h.mreset
    local dayHeaders = h.dl or h.drem or h.dreset
    local minuteOut = h.mrem == 0 or (minuteHeaders and not dayHeaders)
    local dayOut = h.drem == 0 or (dayHeaders and not minuteHeaders)
    if not minuteOut and not dayOut then minuteOut = true end
    if minuteOut then
      s.mb = math.max(s.mb, (h.mreset and h.mreset > now) and h.mreset or s.mr)
      s.mhu = s.ml
    end
    if dayOut then
      s.db = math.max(s.db, (h.dreset and h.dreset > now) and h.dreset or s.dr)
      s.dhu = s.dl
    end
  end
  local guardWindow = tonumber(ARGV[18])
  if ARGV[17] == '1' and (status == 400 or status == 401 or status == 403 or status == 404) then
    local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
    redis.call('ZADD', KEYS[2], now, now .. ':' .. seq)
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - guardWindow)
    redis.call('PEXPIRE', KEYS[2], guardWindow)
  end
  save()
  return { 1 }
end

if op == 'guard' then
  local guardLimit = tonumber(ARGV[10])
  local guardWindow = tonumber(ARGV[11])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - guardWindow)
  local count = redis.call('ZCARD', KEYS[2])
  if count < guardLimit then return { 1 } end
  -- Free again once enough of the errors have aged out of the window to bring the count below the limit.
  local oldest = redis.call('ZRANGE', KEYS[2], count - guardLimit, count - guardLimit, 'WITHSCORES')
  return { 0, tonumber(oldest[2]) + guardWindow }
end

if op == 'snapshot' then
  roll('m')
  roll('d')
  return { s.ml, s.mlen, s.mr, s.ms, s.mo, s.mhu, s.mb, s.mn,
           s.dl, s.dlen, s.dr, s.ds, s['do'], s.dhu, s.db, math.max(s.ow - now, 0) }
end

return redis.error_reply('unknown governor op ' .. tostring(op))
