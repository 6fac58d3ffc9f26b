-- save: store a new pending comment and queue it for review, in one step.
-- KEYS: the comment's run (layout.py), then EXTRA the review stream,
--   EXTRA + 1 the site's user agents, EXTRA + 2 the parent of a reply (absent
--   otherwise).
-- ARGV: id, entry field, agent digest, agent, thread, hash fields...
-- Returns {'saved', entry id} or {'parent', code}.
-- uses: published, move, save_functions
local refused = refusal(KEYS[EXTRA + 2], ARGV[5])
if refused then return refused end
return {'saved', save(ARGV[1], ARGV[2], KEYS[EXTRA + 1], ARGV[3], ARGV[4], 6)}
