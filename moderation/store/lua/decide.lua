-- decide: a moderator's decision: compare-and-set on the status, the audit
-- entry and the labelled example for the classifier, all or nothing.
-- KEYS: the comment's run (layout.py), then EXTRA the audit log, EXTRA + 1
--   the feedback stream.
-- ARGV: id, new status, expected status or '', now, moderator, via.
-- Returns {0, ''} (no such comment), {2, current} (conflict) or {1, previous}.
-- uses: published, move
local current = redis.call('HGET', KEYS[K_COMMENT], 'status')
if not current then return {0, ''} end
if ARGV[3] ~= '' and current ~= ARGV[3] then return {2, current} end
local c = redis.call('HMGET', KEYS[K_COMMENT], 'created_at', 'score', 'model_version', 'body',
                     'author', 'email', 'url')
redis.call('HSET', KEYS[K_COMMENT], 'status', ARGV[2], 'updated_at', ARGV[4],
           'decided_by', ARGV[5], 'decided_at', ARGV[4])
move(ARGV[1], current, ARGV[2])
redis.call('XADD', KEYS[EXTRA], '*', 'at', ARGV[4], 'moderator', ARGV[5], 'comment', ARGV[1],
           'from', current, 'to', ARGV[2], 'score', c[2] or '', 'model_version', c[3] or '',
           'via', ARGV[6])
local labels = {approved = '0', spam = '1', rejected = 'rejected', review = ''}
redis.call('XADD', KEYS[EXTRA + 1], '*', 'comment', ARGV[1], 'label', labels[ARGV[2]] or '',
           'body', c[4] or '', 'author', c[5] or '', 'email', c[6] or '', 'url', c[7] or '',
           'model_version', c[3] or '')
return {1, current}
