-- erase: remove a comment from every index and drop its hash (privacy).
-- Bumps the thread's published version when the comment was published.
-- KEYS: the comment's run (layout.py), then EXTRA its readers' reports
--   (optional: older callers pass none).
-- ARGV: id.
-- Returns 1, or 0 when the comment was already gone.
-- uses: published
local current = redis.call('HGET', KEYS[K_COMMENT], 'status')
if not current then return 0 end
for i = 1, #STATUSES do
  redis.call('ZREM', KEYS[K_STATUS - 1 + i], ARGV[1])
  redis.call('ZREM', KEYS[K_THREAD_STATUS - 1 + i], ARGV[1])
end
redis.call('ZREM', KEYS[K_APPROVED], ARGV[1])
redis.call('ZREM', KEYS[K_UNCERTAIN], ARGV[1])
if current == 'approved' then published_changed() end
redis.call('DEL', KEYS[K_COMMENT])
if KEYS[EXTRA] then redis.call('DEL', KEYS[EXTRA]) end
return 1
