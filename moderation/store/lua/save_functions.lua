-- Library: what saving a new comment checks and does. KEYS[EXTRA] is the
-- review stream. Types are checked before the first write, so a refusal
-- leaves nothing behind (Redis does not roll back a script's writes).
local function queue_problem()
  if redis.call('EXISTS', KEYS[K_COMMENT]) == 1 then
    return redis.error_reply('comment id already used')
  end
  local kind = redis.call('TYPE', KEYS[EXTRA])['ok']
  if kind ~= 'none' and kind ~= 'stream' then
    return redis.error_reply('the review queue key holds a ' .. kind)
  end
end

-- A reply answers a published comment of the same thread, itself no reply
-- (one level deep). parent_key is nil for a comment that answers nobody.
local function parent_problem(parent_key, thread)
  if not parent_key then return nil end
  local p = redis.call('HMGET', parent_key, 'status', 'thread', 'parent')
  if p[1] ~= 'approved' or p[2] ~= thread then return 'parent_not_found' end
  if p[3] then return 'invalid_parent' end
  return nil
end

-- What stops a save before anything is written: a reply for the caller, or
-- nil when the comment may be saved (then nothing has been written yet).
local function refusal(parent_key, thread)
  local problem = queue_problem()
  if problem then return problem end
  local refused = parent_problem(parent_key, thread)
  if refused then return {'parent', refused} end
end

-- ARGV[from..] are the comment's hash fields; returns the queue entry id. The
-- user agent is kept once per site under its digest, which the comment holds.
local function save(id, entry_field, agents, digest, agent, from)
  redis.call('HSET', KEYS[K_COMMENT], unpack(ARGV, from))
  if digest ~= '' then redis.call('HSETNX', agents, digest, agent) end
  move(id, nil, 'pending')
  return redis.call('XADD', KEYS[EXTRA], '*', entry_field, id)
end
