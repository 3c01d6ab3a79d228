--[[
  The budget of one key (Exact host + division), shared by every governor script: included at load time in place of
  the `--- @include "budget"` line (see governor-commands.ts), so each script stays one atomic EVALSHA.

  KEYS[1]     the budget's state hash, <prefix>:{<budgetKey>}:budget
  ARGV[1..7]  the same in every script: now, default minute limit, default day limit, default minute length,
              default day length, sync reserve per minute, sync reserve per day. A script's own arguments follow.

  State fields, prefix m = minute window, d = day window:
    l limit, len window length, r end of the current window (reset), hr last reset a header confirmed,
    s / o calls granted to sync / order in the current window, hu calls Exact reported used (limit - remaining),
    b exhausted (after a 429) until; mn = earliest next sync grant (pacing); ow = a refused order waits until
    then (sync yields meanwhile). Every time is the caller's clock, never Redis's.
]]

local now = tonumber(ARGV[1])
local defaults = { ml = tonumber(ARGV[2]), dl = tonumber(ARGV[3]), mlen = tonumber(ARGV[4]), dlen = tonumber(ARGV[5]) }
local reserve = { m = tonumber(ARGV[6]), d = tonumber(ARGV[7]) }

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
