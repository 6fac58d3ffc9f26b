"""The store's Lua scripts on their own, through redis-py (the store's tests
use them through CommentStore), and their lint."""

import shutil
import subprocess
from pathlib import Path

import pytest

import captcha
from moderation.keys import SiteKeys
from moderation.store import layout
from moderation.store.scripts import LUA, SCRIPTS, source

KEYS = SiteKeys("lua")
ID, OTHER = "01HZX3K9Q7M2V8T5R4N6P0W1BC", "01HZX3K9Q7M2V8T5R4N6P0W1BD"


def run(client, name, keys, args):
    return client.eval(source(name), len(keys), *keys, *args)


def comment_keys(comment_id=ID, thread="t"):
    return layout.comment_keys(KEYS, comment_id, thread)


def test_the_layout_is_written_once_and_given_to_every_script():
    assert layout.PER == len(comment_keys()) == 15
    prelude = layout.lua_prelude()
    for name, at in layout.offsets().items():
        assert f"local K_{name.upper()} = {at}" in prelude
    for name in SCRIPTS:
        assert source(name).startswith(prelude)
        header = (LUA / f"{name}.lua").read_text().splitlines()[0]
        assert header.startswith(f"-- {name}:"), f"{name}.lua must say what it does first"


def test_save_then_set_status_then_erase(redis_client):
    keys = [*comment_keys(), KEYS.queue, KEYS.agents]
    reply = run(redis_client, "save", keys,
                [ID, "comment", "d1", "UA", "t", "thread", "t", "status", "pending"])  # fmt: skip
    assert reply[0] == "saved" and redis_client.xlen(KEYS.queue) == 1
    assert redis_client.zrange(KEYS.status("pending"), 0, -1) == [ID]
    with pytest.raises(Exception, match="comment id already used"):
        run(redis_client, "save", keys, [ID, "comment", "", "", "t", "status", "x"])
    assert run(redis_client, "set_status", comment_keys(), [ID, "approved", "review", "1"]) == [
        2, "pending"]  # fmt: skip
    assert run(redis_client, "set_status", comment_keys(), [ID, "approved", "", "1"]) == [
        1, "pending"]  # fmt: skip
    assert redis_client.zrange(KEYS.approved("t"), 0, -1) == [ID]
    assert redis_client.get(KEYS.approved_version("t")) == "1"
    changed = float(redis_client.get(KEYS.approved_changed("t")))
    assert changed == pytest.approx(server_time(redis_client), abs=5)
    assert run(redis_client, "set_status", comment_keys(OTHER), [OTHER, "spam", "", "1"]) == [0, ""]
    assert run(redis_client, "erase", comment_keys(), [ID]) == 1
    assert redis_client.zcard(KEYS.approved("t")) == 0 and not redis_client.exists(KEYS.comment(ID))
    assert redis_client.get(KEYS.approved_version("t")) == "2"
    assert float(redis_client.get(KEYS.approved_changed("t"))) >= changed


def server_time(client) -> float:
    seconds, micros = client.time()
    return seconds + micros / 1e6


def test_publishing_notes_when_the_published_list_changed(redis_client):
    """Last-Modified comes from this stamp: set, by the server's clock, each
    time the version moves, and only then."""
    run(redis_client, "save", [*comment_keys(), KEYS.queue, KEYS.agents],
        [ID, "comment", "", "", "t", "thread", "t", "status", "pending"])  # fmt: skip
    run(redis_client, "set_status", comment_keys(), [ID, "review", "", "1"])
    assert redis_client.get(KEYS.approved_changed("t")) is None  # nothing published yet
    before = server_time(redis_client)
    run(redis_client, "set_status", comment_keys(), [ID, "approved", "", "1"])
    first = float(redis_client.get(KEYS.approved_changed("t")))
    assert before <= first <= server_time(redis_client)
    run(redis_client, "anonymise", comment_keys(), [ID, "Anonyme"])
    second = float(redis_client.get(KEYS.approved_changed("t")))
    assert second > first and redis_client.get(KEYS.approved_version("t")) == "2"


def test_save_refuses_a_queue_key_of_another_type_and_writes_nothing(redis_client):
    redis_client.set(KEYS.queue, "not a stream")
    with pytest.raises(Exception, match="review queue key holds a string"):
        run(redis_client, "save", [*comment_keys(), KEYS.queue, KEYS.agents],
            [ID, "comment", "", "", "t", "status", "pending"])  # fmt: skip
    assert not redis_client.exists(KEYS.comment(ID))


def test_submit_locks_out_counts_wrong_answers_and_burns_tokens(redis_client):
    challenge, wrong = "captcha:{lua}:tok", KEYS.wrong_answers("client")
    redis_client.set(challenge, "7|9999999999|1|t")  # answer 7, thread t

    def submit(answer, limit=2):
        keys = [*comment_keys(), KEYS.queue, challenge, KEYS.traps, KEYS.agents, wrong,
                KEYS.closed]
        return run(redis_client, "submit", keys, [ID, "comment", "100", "t", answer, "", "0",
                   "", "", str(limit), "60", "", "thread", "t", "status", "pending"])  # fmt: skip

    assert submit("3") == ["wrong"] and redis_client.get(wrong) == "1"
    assert submit("7") == ["used"]  # burnt by the wrong answer
    redis_client.set(challenge, "7|9999999999|1|t")
    assert submit("4") == ["wrong"]
    redis_client.set(challenge, "7|9999999999|1|t")
    locked = submit("7")
    assert locked[0] == "locked" and 0 < locked[1] <= 60
    assert redis_client.get(challenge) == "7|9999999999|1|t"  # not burnt while locked
    assert submit("7", limit=0)[0] == "saved"  # no lock-out asked for


def test_submit_refuses_a_closed_thread_before_burning_the_answer(redis_client):
    challenge, wrong = "captcha:{lua}:tok", KEYS.wrong_answers("client")
    redis_client.set(challenge, "7|9999999999|1|t")

    def submit(past_closing=""):
        keys = [*comment_keys(), KEYS.queue, challenge, KEYS.traps, KEYS.agents, wrong,
                KEYS.closed]
        return run(redis_client, "submit", keys, [ID, "comment", "100", "t", "7", "", "0", "",
                   "", "0", "60", past_closing, "thread", "t", "status", "pending"])  # fmt: skip

    redis_client.hset(KEYS.closed, "t", "closed")
    assert submit() == ["closed"]
    redis_client.hdel(KEYS.closed, "t")
    assert submit(past_closing="1") == ["closed"]  # the automatic rule
    assert redis_client.get(challenge) == "7|9999999999|1|t"  # not burnt
    assert not redis_client.exists(KEYS.comment(ID)) and not redis_client.exists(KEYS.queue)
    redis_client.hset(KEYS.closed, "t", "open")  # reopened: beats the automatic rule
    assert submit(past_closing="1")[0] == "saved"


def test_verdicts_apply_once_and_acknowledge(redis_client):
    run(redis_client, "save", [*comment_keys(), KEYS.queue, KEYS.agents],
        [ID, "comment", "", "", "t", "thread", "t", "status", "pending"])  # fmt: skip
    redis_client.xgroup_create(KEYS.queue, "g", id="0")
    entry = redis_client.xreadgroup("g", "w", {KEYS.queue: ">"})[0][1][0][0]
    args = ["g", "1", ID, entry, "review", "2", "score", "0.600000"]
    assert run(redis_client, "verdicts", [*comment_keys(), KEYS.queue], args) == ["pending"]
    assert run(redis_client, "verdicts", [*comment_keys(), KEYS.queue], args) == ["review"]
    assert redis_client.hget(KEYS.comment(ID), "classifications") == "1"
    assert redis_client.zscore(KEYS.uncertain, ID) == pytest.approx(0.1)
    assert redis_client.xpending(KEYS.queue, "g")["pending"] == 0


def lua_files(tmp_path: Path) -> list[Path]:
    """Each script as Redis runs it, the CAPTCHA's own check among them."""
    scripts = {name: source(name) for name in SCRIPTS}
    scripts["captcha_check"] = captcha.store._CHECK
    for name, text in scripts.items():
        (tmp_path / f"{name}.lua").write_text(text)
    return sorted(tmp_path.glob("*.lua"))


def test_the_lua_is_clean(tmp_path):
    luacheck = shutil.which("luacheck")
    assert luacheck, "install Debian's lua-check (make test does)"
    result = subprocess.run(
        [luacheck, "--std", "lua51", "--globals", "redis", "KEYS", "ARGV", "--no-color",
         "--allow-defined-top", *map(str, lua_files(tmp_path))],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
