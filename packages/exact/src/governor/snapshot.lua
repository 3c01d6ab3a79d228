--[[
  snapshot: both windows of the budget, rolled to now. Writes nothing.

  KEYS[1]  budget state hash  <prefix>:{<budgetKey>}:budget
  ARGV[1..7] the budget's settings (includes/budget.lua)

  Returns, as name/value pairs, for each window w of 'minute' and 'day': w.limit, w.syncShare, w.lengthMs,
  w.resetAt, w.sync, w.order (calls granted per lane), w.headerUsed (what Exact reported used),
  w.exhaustedUntil (0 unless a 429 closed it); then nextSyncAt (pacing, 0 when none) and ordersWaitingMs.
]]
--- @include "budget"

roll('m')
roll('d')
local reply = {}
for p, window in pairs({ m = 'minute', d = 'day' }) do
  local values = {
    limit = s[p .. 'l'], syncShare = s[p .. 'l'] - reserveOf(p), lengthMs = s[p .. 'len'], resetAt = s[p .. 'r'],
    sync = s[p .. 's'], order = s[p .. 'o'], headerUsed = s[p .. 'hu'], exhaustedUntil = s[p .. 'b'],
  }
  for name, value in pairs(values) do
    reply[#reply + 1] = window .. '.' .. name
    reply[#reply + 1] = value
  end
end
reply[#reply + 1] = 'nextSyncAt'
reply[#reply + 1] = s.mn
reply[#reply + 1] = 'ordersWaitingMs'
reply[#reply + 1] = math.max(s.ow - now, 0)
return reply
