-- restore: an imported or backed-up comment, straight into its status (it is
-- history: no review queue); nothing happens if the id exists, so an import
-- can run twice.
-- KEYS: the comment's run (layout.py).
-- ARGV: id, status, hash fields...
-- Returns 1, or 0 when a comment with this id exists.
-- uses: published, move
if redis.call('EXISTS', KEYS[K_COMMENT]) == 1 then return 0 end
redis.call('HSET', KEYS[K_COMMENT], unpack(ARGV, 3))
move(ARGV[1], nil, ARGV[2])  -- bumps the thread's version for an approved one
return 1
