-- One submission = GET /api/v1/challenge, then the POST that answers it.
-- Each wrk thread keeps the questions it was given and answers them on its
-- next requests (a token is not bound to a connection). Counts 202s.
local thread_name = os.getenv("BENCH_THREAD") or "ministre-nord-coreen-moscou"
local challenge_path = "/api/v1/challenge?thread=" .. thread_name
local post_path = "/api/v1/threads/" .. thread_name .. "/comments"
local answers = {}
accepted, refused = 0, 0  -- globals: done() reads them with thread:get()
local counter = 0

local function solve(question)
  local left, operator, right = question:match("^(%d+) (.-) (%d+)")
  left, right = tonumber(left), tonumber(right)
  if operator == "+" then return left + right end
  if operator == "\\u2212" or operator == "\226\136\146" then return left - right end
  return left * right
end

function setup(thread)
  table.insert(threads, thread)
end

threads = {}

function request()
  local pending = table.remove(answers)
  if pending == nil then
    return wrk.format("GET", challenge_path)
  end
  counter = counter + 1
  local body = string.format(
    '{"author":"Lecteur %d","email":"lecteur@example.org","body":"Un avis argumenté sur la visite, numéro %d.","captcha":{"token":"%s","answer":%d}}',
    counter, counter, pending.token, pending.answer)
  return wrk.format("POST", post_path, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 200 then
    local token = body:match('"token":%s*"([^"]+)"')
    local question = body:match('"question":%s*"([^"]+)"')
    if token and question then
      table.insert(answers, {token = token, answer = solve(question)})
    end
  elseif status == 202 then
    accepted = accepted + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local total_accepted, total_refused = 0, 0
  for _, thread in ipairs(threads) do
    total_accepted = total_accepted + thread:get("accepted")
    total_refused = total_refused + thread:get("refused")
  end
  io.write(string.format("BENCH accepted=%d refused=%d duration_us=%d\n",
    total_accepted, total_refused, summary.duration))
end
