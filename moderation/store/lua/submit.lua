-- submit: a reader's comment behind its CAPTCHA answer, in one step and one
-- round trip, whichever way it was posted (the API or a form): a closed
-- thread refuses it first, then the reply's parent is checked, then the
-- wrong-answer lock-out, then the answer (the
-- token is burnt whatever the outcome; a wrong one is counted), then the bot
-- traps; only then is the comment saved and queued.
-- KEYS: the comment's run (layout.py), then EXTRA the review stream,
--   EXTRA + 1 the challenge (same hash tag: the CAPTCHA namespace is the
--   site), EXTRA + 2 the site's trap counters, EXTRA + 3 its user agents,
--   EXTRA + 4 the client's wrong answers on this site, EXTRA + 5 the site's
--   closed threads (closed_threads.py), EXTRA + 6 the parent of a reply
--   (absent otherwise).
-- ARGV: id, entry field, now, thread, answer (see captcha_check), honeypot
--   ('' when empty), minimum fill seconds, agent digest, agent, wrong-answer
--   limit (0: none), its window in seconds, '1' when the thread is past its
--   automatic closing, hash fields...
-- Returns {'saved', entry id}, {'trapped', names}, {'closed'} or
-- {'parent', code} (the answer left unburnt), {'locked', seconds to wait}
-- (unburnt too) or {captcha outcome}.
-- uses: captcha_check, published, move, save_functions
-- A moderator's "open" beats the automatic closing; their "closed" beats all.
local closing = redis.call('HGET', KEYS[EXTRA + 5], ARGV[4])
if closing == 'closed' or (closing ~= 'open' and ARGV[12] == '1') then return {'closed'} end
local refused = refusal(KEYS[EXTRA + 6], ARGV[4])
if refused then return refused end
local limit = tonumber(ARGV[10])
local wrong_key = KEYS[EXTRA + 4]
if limit > 0 and tonumber(redis.call('GET', wrong_key) or '0') >= limit then
  return {'locked', math.max(redis.call('TTL', wrong_key), 1)}
end
local outcome, issued = captcha_check(KEYS[EXTRA + 1], ARGV[3], ARGV[4], ARGV[5])
if outcome == 'wrong' and limit > 0 then
  -- The window starts at the first wrong answer (SET NX: Redis 6.2 has no EXPIRE NX).
  redis.call('SET', wrong_key, 0, 'EX', ARGV[11], 'NX')
  redis.call('INCR', wrong_key)
end
if outcome ~= 'ok' then return {outcome} end
local traps = {}
if ARGV[6] ~= '' then traps[#traps + 1] = 'honeypot' end
local min_fill = tonumber(ARGV[7])
if min_fill > 0 and tonumber(ARGV[3]) - tonumber(issued) < min_fill then
  traps[#traps + 1] = 'too_fast'
end
if #traps > 0 then
  for _, trap in ipairs(traps) do redis.call('HINCRBY', KEYS[EXTRA + 2], trap, 1) end
  return {'trapped', table.concat(traps, ',')}
end
return {'saved', save(ARGV[1], ARGV[2], KEYS[EXTRA + 3], ARGV[8], ARGV[9], 13)}
