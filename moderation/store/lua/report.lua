-- report: a reader's report of a published comment, one per reporter; the
-- count of reports since the last dismissal reaching the comment's threshold
-- (or one trusted report) sends the comment back to review, unpublished, in
-- the same step (the thread's version is bumped, so caches refresh).
-- KEYS: the comment's run (layout.py), then EXTRA the comment's reports,
--   EXTRA + 1 the site's audit log.
-- ARGV: id, reporter (a client key), reason, text, now, threshold when the
--   comment has none of its own, '1' for a trusted reporter, who (for the
--   audit: 'reader', or a moderator's address).
-- Returns {'missing'}, {'not_published'}, {'already'}, {'recorded', count}
-- or {'review', count}.
-- uses: published, move
local c = redis.call('HMGET', KEYS[K_COMMENT], 'status', 'report_threshold', 'report_round')
if not c[1] then return {'missing'} end
if c[1] ~= 'approved' then return {'not_published'} end
if redis.call('HEXISTS', KEYS[EXTRA], ARGV[2]) == 1 then return {'already'} end
-- reason|round|trusted|at|text: the text last, so it may hold the separator.
redis.call('HSET', KEYS[EXTRA], ARGV[2],
           table.concat({ARGV[3], c[3] or '0', ARGV[7], ARGV[5], ARGV[4]}, '|'))
local count = redis.call('HINCRBY', KEYS[K_COMMENT], 'reports', 1)
redis.call('XADD', KEYS[EXTRA + 1], '*', 'at', ARGV[5], 'moderator', ARGV[8], 'event', 'report',
           'comment', ARGV[1], 'reason', ARGV[3], 'trusted', ARGV[7])
local threshold = tonumber(c[2] or '') or tonumber(ARGV[6])
if ARGV[7] ~= '1' and count < threshold then return {'recorded', count} end
redis.call('HSET', KEYS[K_COMMENT], 'status', 'review', 'updated_at', ARGV[5], 'reported', '1')
move(ARGV[1], 'approved', 'review')
redis.call('XADD', KEYS[EXTRA + 1], '*', 'at', ARGV[5], 'moderator', ARGV[8],
           'event', 'reported_to_review', 'comment', ARGV[1], 'reports', count)
return {'review', count}
