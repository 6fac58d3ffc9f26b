-- edit: the author changes or deletes their own comment, from the browser
-- holding its edit key, within the edit window; checked and done in one step.
-- An edit of a comment still waiting goes to the classifier again (pending,
-- queued anew); an edit of a published one goes back to review, unpublished
-- (the thread's version bumped), its previous text kept for the moderator.
-- Deleting hides it at once (rejected, marked deleted_by_author). Audited.
-- KEYS: the comment's run (layout.py), then EXTRA the review stream,
--   EXTRA + 1 the site's audit log.
-- ARGV: id, hash of the edit key, now, last second of the window, 'edit' or
--   'delete', new text ('' to delete), entry field.
-- Returns {'missing'}, {'bad_key'}, {'window_closed'}, or {new status, old}.
-- uses: published, move
local c = redis.call('HMGET', KEYS[K_COMMENT], 'status', 'edit_key_hash', 'body')
if not c[1] or c[1] == 'rejected' or c[1] == 'spam' then return {'missing'} end
if not c[2] or c[2] ~= ARGV[2] then return {'bad_key'} end
if tonumber(ARGV[3]) > tonumber(ARGV[4]) then return {'window_closed'} end
local to
if ARGV[5] == 'delete' then
  to = 'rejected'
  redis.call('HSET', KEYS[K_COMMENT], 'status', to, 'updated_at', ARGV[3],
             'deleted_by_author', ARGV[3])
elseif c[1] == 'approved' then
  to = 'review'
  redis.call('HSET', KEYS[K_COMMENT], 'status', to, 'updated_at', ARGV[3], 'body', ARGV[6],
             'previous_body', c[3], 'edited_at', ARGV[3])
else
  to = 'pending'
  redis.call('HSET', KEYS[K_COMMENT], 'status', to, 'updated_at', ARGV[3], 'body', ARGV[6],
             'edited_at', ARGV[3])
  redis.call('HDEL', KEYS[K_COMMENT], 'score', 'rules', 'model_version')
end
move(ARGV[1], c[1], to)
if to == 'pending' then redis.call('XADD', KEYS[EXTRA], '*', ARGV[7], ARGV[1]) end
redis.call('XADD', KEYS[EXTRA + 1], '*', 'at', ARGV[3], 'moderator', 'author',
           'event', ARGV[5] == 'delete' and 'deleted_by_author' or 'edited_by_author',
           'comment', ARGV[1], 'from', c[1], 'status', to)
return {to, c[1]}
