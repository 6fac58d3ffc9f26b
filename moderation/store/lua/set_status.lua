-- set_status: compare-and-set on a comment's status.
-- KEYS: the comment's run (layout.py).
-- ARGV: id, new status, expected status or '', now.
-- Returns {0, ''} (no such comment), {2, current} (conflict) or {1, previous}.
-- uses: published, move
local current = redis.call('HGET', KEYS[K_COMMENT], 'status')
if not current then return {0, ''} end
if ARGV[3] ~= '' and current ~= ARGV[3] then return {2, current} end
redis.call('HSET', KEYS[K_COMMENT], 'status', ARGV[2], 'updated_at', ARGV[4])
move(ARGV[1], current, ARGV[2])
return {1, current}
