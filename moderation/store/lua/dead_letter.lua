-- dead_letter: give up on a queue entry that failed too often: copy it to the
-- dead-letter stream, send its comment to human review (never to
-- publication) and acknowledge it.
-- KEYS: the comment's run (layout.py), then EXTRA the review stream,
--   EXTRA + 1 the dead-letter stream.
-- ARGV: id, group, entry id, now, reason, deliveries.
-- Returns the comment's status before, or false.
-- uses: published, move
redis.call('XADD', KEYS[EXTRA + 1], '*', 'comment', ARGV[1], 'entry', ARGV[3],
           'reason', ARGV[5], 'deliveries', ARGV[6], 'at', ARGV[4])
local current = redis.call('HGET', KEYS[K_COMMENT], 'status')
if current == 'pending' then
  redis.call('HSET', KEYS[K_COMMENT], 'status', 'review', 'updated_at', ARGV[4],
             'rules', '["dead_letter"]')
  move(ARGV[1], current, 'review')
end
redis.call('XACK', KEYS[EXTRA], ARGV[2], ARGV[3])
return current or false
