-- captcha_check(key, now, thread, answer): consume one challenge, whatever
-- the outcome. key: the challenge's key (ChallengeStore.key_for); now:
-- epoch seconds; thread: the thread the comment is for; answer: the
-- normalised answer ('' when it is not a number). Returns the outcome
-- ('ok', 'wrong', 'used', 'expired', 'thread') and the time the question
-- was issued. A library: callers append their own body (see store.py).
local function captcha_check(key, now, thread, answer)
  local value = redis.call('GET', key)
  if not value then return 'expired', '' end
  if value == 'used' then return 'used', '' end
  redis.call('SET', key, 'used', 'KEEPTTL')
  local expected, expires, issued, bound = string.match(value, '^([^|]*)|([^|]*)|([^|]*)|(.*)$')
  if not expected then return 'expired', '' end
  if tonumber(now) >= tonumber(expires) then return 'expired', issued end
  if bound ~= thread then return 'thread', issued end
  if answer == '' or answer ~= expected then return 'wrong', issued end
  return 'ok', issued
end
