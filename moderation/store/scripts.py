"""The store's Lua scripts: one ``lua/<name>.lua`` file each, assembled with
the libraries it names and the key layout's constants, and registered once
per client.

A script's header names its KEYS and ARGV and, on a ``-- uses:`` line, the
libraries it needs (``published``, ``move``, ``save_functions``, or ``captcha_check`` from
the captcha package), which come before it, after the layout's prelude.
"""

from functools import cache
from pathlib import Path

import redis
from redis.commands.core import Script

from captcha import CHECK_LUA
from moderation.store.layout import lua_prelude

LUA = Path(__file__).parent / "lua"
LIBRARIES = {"published", "move", "save_functions", "captcha_check"}
SCRIPTS = ("save", "submit", "set_status", "verdicts", "dead_letter", "decide", "erase",
           "anonymise", "restore", "report", "dismiss_reports", "edit")  # fmt: skip


def _uses(body: str) -> list[str]:
    for line in body.splitlines():
        if line.startswith("-- uses:"):
            return [name.strip() for name in line.removeprefix("-- uses:").split(",")
                    if name.strip() in LIBRARIES]  # fmt: skip
    return []


def _library(name: str) -> str:
    if name == "captcha_check":
        return CHECK_LUA
    return (LUA / f"{name}.lua").read_text(encoding="utf-8")


@cache
def source(name: str) -> str:
    """The whole text of script ``name``, as Redis runs it."""
    body = (LUA / f"{name}.lua").read_text(encoding="utf-8")
    parts = [lua_prelude(), *(_library(library) for library in _uses(body)), body]
    return "\n".join(parts)


class Scripts:
    """Every store script registered on ``client`` (EVALSHA, falling back to EVAL)."""

    def __init__(self, client: redis.Redis) -> None:
        def register(name: str) -> Script:
            return client.register_script(source(name))

        self.save = register("save")
        self.submit = register("submit")
        self.set_status = register("set_status")
        self.verdicts = register("verdicts")
        self.dead_letter = register("dead_letter")
        self.decide = register("decide")
        self.erase = register("erase")
        self.anonymise = register("anonymise")
        self.restore = register("restore")
        self.report = register("report")
        self.dismiss_reports = register("dismiss_reports")
        self.edit = register("edit")
