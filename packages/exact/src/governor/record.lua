--[[
  record: corrects the budget from one of Exact's answers, and counts the errors Exact counts.

  KEYS[1]  budget state hash          <prefix>:{<budgetKey>}:budget
  KEYS[2]  error log of the endpoint  <prefix>:{<budgetKey>}:errors:<endpoint> (sorted set, score = time)
  ARGV[1..7] the budget's settings (includes/budget.lua), then
  ARGV[8]  HTTP status
  ARGV[9..14] X-RateLimit-Minutely-Limit, -Remaining, -Reset, X-RateLimit-Limit, -Remaining, -Reset ('' if absent)
  ARGV[15] '1' when KEYS[2] names the endpoint that answered (its 400/401/403/404 count), else '0'
  ARGV[16] the error window (ms)

  Returns OK.
]]
--- @include "budget"

-- A learned window shorter than this is taken for header noise.
local MIN_WINDOW = 100

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

roll('m')
roll('d')
local status = tonumber(ARGV[8])
local h = { ml = num(ARGV[9]), mrem = num(ARGV[10]), mreset = num(ARGV[11]),
            dl = num(ARGV[12]), drem = num(ARGV[13]), dreset = num(ARGV[14]) }
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
-- Exact counts 400, 401, 403 and 404 toward its hourly block per endpoint; a 429 is never an error.
local guardWindow = tonumber(ARGV[16])
if ARGV[15] == '1' and (status == 400 or status == 401 or status == 403 or status == 404) then
  local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  redis.call('ZADD', KEYS[2], now, now .. ':' .. seq)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - guardWindow)
  redis.call('PEXPIRE', KEYS[2], guardWindow)
end
save()
return redis.status_reply('OK')
