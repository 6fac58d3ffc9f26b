-- Library: keep a comment's indexes in step with its status (after the
-- published library). Keys are read
-- through the layout's constants (K_STATUS ...; moderation/store/layout.py),
-- offset by b where a batch script handles several comments.
-- Status indexes hold ids with score 0: ids sort by creation time, so lexical
-- order is age order and a page cursor is the last id seen.
local function index_of(name)
  for i, known in ipairs(STATUSES) do
    if known == name then return i end
  end
end

local function move(id, from, to, b)
  b = b or 0
  local old = from and index_of(from)
  if old then
    redis.call('ZREM', KEYS[b + K_STATUS - 1 + old], id)
    redis.call('ZREM', KEYS[b + K_THREAD_STATUS - 1 + old], id)
  end
  local new = index_of(to)
  redis.call('ZADD', KEYS[b + K_STATUS - 1 + new], 0, id)
  redis.call('ZADD', KEYS[b + K_THREAD_STATUS - 1 + new], 0, id)
  if not from and to == 'pending' then return end  -- a new comment: in no other index
  if to == 'approved' then
    redis.call('ZADD', KEYS[b + K_APPROVED], 0, id)
  else
    redis.call('ZREM', KEYS[b + K_APPROVED], id)
  end
  if to == 'approved' or from == 'approved' then published_changed(b) end
  local score = tonumber(redis.call('HGET', KEYS[b + K_COMMENT], 'score') or '')
  if to == 'review' and score then
    redis.call('ZADD', KEYS[b + K_UNCERTAIN], math.abs(score - 0.5), id)
  else
    redis.call('ZREM', KEYS[b + K_UNCERTAIN], id)
  end
end
