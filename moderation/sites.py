"""Sites allowed to embed the widget, each with the origins it is served from.

Kept in Redis (hash tag ``{sites}``) so that ``moderation site add`` takes
effect on running web processes at once. The service's own article pages are
the site ``default``; a site's comments live under its own hash tag.
"""

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import redis

from moderation import keys

P = keys.SITES
DEFAULT = "default"
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
# A registered site's thread: the name the widget or an import gives it. No
# ':', '{' or '}' can reach a key name through it.
THREAD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,127}")
# The thread of /embed's live example on our own site: no article has it, so
# trying the widget never puts a comment into a real article's queue.
DEMO_THREAD = "demonstration-widget"


class SiteError(ValueError):
    """A site or origin that cannot be registered; the message says why."""


@dataclass(frozen=True)
class Site:
    name: str
    origins: tuple[str, ...]
    created_at: float


def normalise_origin(value: str) -> str:
    """``https://News.Example.org:443/x`` → ``https://news.example.org``."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError as error:
        raise SiteError(f"not an origin: {value!r}") from error
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise SiteError(f"an origin is http(s)://host[:port], not {value!r}")
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username:
        raise SiteError(f"an origin has no path, query or credentials: {value!r}")
    default_port = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default_port else "")


class SiteRegistry:
    def __init__(self, client: redis.Redis, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock

    def add(self, name: str, origins: list[str]) -> Site:
        if not NAME.fullmatch(name) or name == DEFAULT:
            raise SiteError("a site name is lower-case letters, digits and '-', not 'default'")
        if not origins:
            raise SiteError("give at least one --origin")
        clean = tuple(dict.fromkeys(normalise_origin(origin) for origin in origins))
        for origin in clean:
            owner = self.client.hget(P + "origins", origin)
            if owner and owner != name:
                raise SiteError(f"{origin} already belongs to the site {owner}")
        previous = self.get(name)
        site = Site(name, clean, previous.created_at if previous else self.clock())
        with self.client.pipeline(transaction=True) as pipe:
            if previous:
                pipe.hdel(P + "origins", *previous.origins)
            pipe.hset(
                P + "sites", name, json.dumps({"origins": clean, "created_at": site.created_at})
            )
            pipe.hset(P + "origins", mapping=dict.fromkeys(clean, name))
            pipe.execute()
        return site

    def get(self, name: str) -> Site | None:
        raw = self.client.hget(P + "sites", name)
        if raw is None:
            return None
        data = json.loads(raw)
        return Site(name, tuple(data["origins"]), data["created_at"])

    def all(self) -> list[Site]:
        return [site for name in sorted(self.client.hkeys(P + "sites")) if (site := self.get(name))]

    def remove(self, name: str) -> None:
        site = self.get(name)
        if site is None:
            raise SiteError(f"no site {name}")
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hdel(P + "origins", *site.origins)
            pipe.hdel(P + "sites", name)
            pipe.execute()

    def site_for_origin(self, origin: str) -> str | None:
        """The registered site serving ``origin``; one round trip, no cache, so
        a change is seen by every web process at once."""
        try:
            return self.client.hget(P + "origins", normalise_origin(origin))
        except SiteError:
            return None

    def names(self) -> list[str]:
        return [DEFAULT, *sorted(self.client.hkeys(P + "sites"))]
