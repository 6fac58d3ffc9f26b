-- dismiss_reports: a moderator finds a comment's reports unfounded: it stays
-- (or is again) published, its open reports are closed, and from now on it
-- takes twice as many reports to send it back to review; audited.
-- KEYS: the comment's run (layout.py), then EXTRA the site's audit log.
-- ARGV: id, moderator, now, threshold when the comment has none of its own,
--   via.
-- Returns {0, ''} (no such comment), {2, status} (no open report) or
-- {1, status before}.
-- uses: published, move
local c = redis.call('HMGET', KEYS[K_COMMENT], 'status', 'report_threshold', 'reports',
                     'reported', 'report_round')
if not c[1] then return {0, ''} end
local open = tonumber(c[3] or '0')
if open == 0 and not c[4] then return {2, c[1]} end
local threshold = (tonumber(c[2] or '') or tonumber(ARGV[4])) * 2
redis.call('HSET', KEYS[K_COMMENT], 'report_threshold', threshold, 'reports', 0,
           'report_round', tonumber(c[5] or '0') + 1)
redis.call('HDEL', KEYS[K_COMMENT], 'reported')
if c[4] and c[1] == 'review' then
  redis.call('HSET', KEYS[K_COMMENT], 'status', 'approved', 'updated_at', ARGV[3])
  move(ARGV[1], 'review', 'approved')
end
redis.call('XADD', KEYS[EXTRA], '*', 'at', ARGV[3], 'moderator', ARGV[2],
           'event', 'reports_dismissed', 'comment', ARGV[1], 'reports', open,
           'threshold', threshold, 'via', ARGV[5])
return {1, c[1]}
