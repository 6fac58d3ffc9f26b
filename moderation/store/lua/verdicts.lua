-- verdicts: the classifier's verdicts for a batch and the acknowledgement of
-- their queue entries, in one step; each applied only while its comment is
-- still pending, so an entry delivered twice is never classified twice. One
-- script for the whole batch: one round trip, and on Redis Cluster one slot
-- (every key carries the site's hash tag).
-- KEYS: one run of PER keys per comment (layout.py), then the review stream.
-- ARGV: group, now, then per comment: id, entry id, status, number of
--   verdict fields, the fields as name/value pairs.
-- Returns each comment's status before ('' when it no longer exists).
-- uses: published, move
local stream = KEYS[#KEYS]
local before = {}
local a = 3
for i = 0, (#KEYS - 1) / PER - 1 do
  local b = i * PER
  local id, entry, status, count = ARGV[a], ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3])
  local current = redis.call('HGET', KEYS[b + K_COMMENT], 'status')
  if current == 'pending' then
    redis.call('HSET', KEYS[b + K_COMMENT], 'status', status, 'updated_at', ARGV[2],
               unpack(ARGV, a + 4, a + 3 + count))
    redis.call('HINCRBY', KEYS[b + K_COMMENT], 'classifications', 1)
    move(id, current, status, b)
  end
  redis.call('XACK', stream, ARGV[1], entry)
  before[i + 1] = current or ''
  a = a + 4 + count
end
return before
