"""A moderator clears a queue with the keyboard in Chromium:
``python -m bench.moderator_flow [--comments N] [--json]``.

Redis (append-only) and the site under gunicorn, as in production
(``bench/processes.py``); Debian's Chromium through Playwright at 1280 × 800.
The moderator signs in and clears ``N`` comments in review (100 by default)
pressing a, s and r in turn; after every tenth decision they press u (undo)
and decide that comment again. Figures:

- ``ms_per_decision``: median browser time from the key press until the
  page shows the decision done (the tab's count changes when the server has
  answered), timed inside the page (``performance.now()``, kept across the
  reloads in sessionStorage); ``p95_ms_per_decision`` likewise;
  ``ms_per_undo`` the median for undo; ``ms_to_next_item`` until the next
  comment has the focus (the card leaves at once; the server's answer
  follows). The driving script waits for each answer before the next key.
- ``requests_per_decision``: every request the browser made after the queue
  was shown (decisions, undos, the page reloads when a page of 25 is
  cleared, their static files), divided by the decisions.

Goal (issue 16): under 150 ms and one request per decision.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import redis
from playwright.sync_api import expect, sync_playwright

from bench.processes import Stack
from bench.report import emit
from moderation.accounts import Accounts
from moderation.store import CommentStore
from moderation.validation import CommentInput

CHROMIUM = "/usr/bin/chromium"
EMAIL, PASSWORD = "bench@example.org", "correct horse battery"
THREAD = "ministre-nord-coreen-moscou"
KEYS = ("a", "s", "r")
# Injected by Playwright before the page's own script (not subject to the
# page's Content-Security-Policy): times each key and each change of the count.
TIMING = """(() => {
  const log = (name, value) => {
    const list = JSON.parse(sessionStorage.getItem(name) || "[]");
    list.push(value);
    sessionStorage.setItem(name, JSON.stringify(list));
  };
  const now = () => performance.timeOrigin + performance.now();
  document.addEventListener("keydown", (e) => {
    if ("asru".includes(e.key)) { log("bench-keys", [e.key, now()]); }
  }, true);
  // After the page's own handler (on document): the next item has the focus.
  window.addEventListener("keydown", (e) => {
    if ("asr".includes(e.key)) { log("bench-focus", now()); }
  });
  document.addEventListener("DOMContentLoaded", () => {
    const badge = document.querySelector('.tabs [aria-current="page"] .count');
    if (badge) {
      new MutationObserver(() => log("bench-done", now()))
        .observe(badge, { childList: true, characterData: true, subtree: true });
    }
  });
})();"""


def seed(url: str, count: int) -> None:
    client = redis.Redis.from_url(url, decode_responses=True)
    Accounts(client).add(EMAIL, PASSWORD)
    store = CommentStore(client)
    for number in range(count):
        comment = store.save(THREAD, CommentInput(
            author=f"Lecteur {number}", email=f"l{number}@example.org", url="",
            body=f"Commentaire numéro {number} : un avis sur la visite, à relire."))
        store.set_status(comment.id, "review")
    client.close()


def drive(base_url: str, count: int) -> dict[str, float]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        page = browser.new_page(base_url=base_url, locale="fr-FR",
                                viewport={"width": 1280, "height": 800})  # fmt: skip
        page.goto("/moderation/login")
        page.get_by_label("Adresse e-mail").fill(EMAIL)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/moderation/")
        badge = '.tabs [aria-current="page"] .count'
        expect(page.locator(badge)).to_have_text(str(count))
        page.add_init_script(TIMING)
        page.reload()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        presses, left, undos = 0, count, 0
        started = time.perf_counter()
        while left:
            page.keyboard.press(KEYS[presses % 3])
            presses, left = presses + 1, left - 1
            page.wait_for_selector(f'{badge}:text-is("{left}")', state="attached")
            if presses % 10 == 0 and undos < count // 10 and left:
                page.keyboard.press("u")
                undos, left = undos + 1, left + 1
                page.wait_for_selector(f'{badge}:text-is("{left}")', state="attached")
        wall = time.perf_counter() - started
        keys = page.evaluate("JSON.parse(sessionStorage.getItem('bench-keys') || '[]')")
        done = page.evaluate("JSON.parse(sessionStorage.getItem('bench-done') || '[]')")
        focus = page.evaluate("JSON.parse(sessionStorage.getItem('bench-focus') || '[]')")
        browser.close()
    timed = [(key, end - start) for (key, start), end in zip(keys, done, strict=True)]
    ms = sorted(elapsed for key, elapsed in timed if key != "u")
    undo_ms = [elapsed for key, elapsed in timed if key == "u"]
    starts = [start for key, start in keys if key != "u"]
    to_focus = [end - start for start, end in zip(starts, focus, strict=True)]
    return {
        "comments": count,
        "decisions": presses,
        "undos": undos,
        "ms_per_decision": round(statistics.median(ms), 1),
        "p95_ms_per_decision": round(ms[int(0.95 * (len(ms) - 1))], 1),
        "ms_per_undo": round(statistics.median(undo_ms), 1) if undo_ms else 0.0,
        "ms_to_next_item": round(statistics.median(to_focus), 2),
        "wall_s": round(wall, 2),
        "requests": len(requests),
        "requests_per_decision": round(len(requests) / presses, 3),
        "decision_requests_per_decision": round(
            sum("/moderation/decide" in url for url in requests) / presses, 3),
    }


def run(count: int) -> dict[str, float]:
    with (tempfile.TemporaryDirectory(prefix="bench-moderator-") as folder,
          Stack(Path(folder), workers=0, web_workers=2) as stack):  # fmt: skip
        seed(stack.redis.url, count)
        assert stack.web is not None
        return drive(f"http://127.0.0.1:{stack.web.port}", count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium (make browser)")
    emit(run(args.comments), args.json)


if __name__ == "__main__":
    main()
