-- Library: a thread's published list changed (the comment's run at offset
-- b): bump its version, which the ETags are made from, and note when, for
-- Last-Modified. The time is the Redis server's, one clock for every web
-- process and worker (Redis 5 and later replicate the write, not the script).
local function published_changed(b)
  b = b or 0
  redis.call('INCR', KEYS[b + K_VERSION])
  local now = redis.call('TIME')
  redis.call('SET', KEYS[b + K_CHANGED], now[1] .. string.format('.%06d', now[2]))
end
