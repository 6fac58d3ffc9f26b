-- anonymise: keep a comment's text under another name, without what
-- identifies its author (privacy). Bumps the thread's published version when
-- the comment is published.
-- KEYS: the comment's run (layout.py).
-- ARGV: id, the new author name.
-- Returns 1, or 0 when the comment is gone.
-- uses: published
local current = redis.call('HGET', KEYS[K_COMMENT], 'status')
if not current then return 0 end
redis.call('HSET', KEYS[K_COMMENT], 'author', ARGV[2])
redis.call('HDEL', KEYS[K_COMMENT], 'email', 'url', 'agent', 'ip_hash')
if current == 'approved' then published_changed() end
return 1
