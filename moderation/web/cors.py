"""Which site a JSON API request comes from, and the CORS answer it gets.

A request with no ``Origin`` (a server, curl) or with the service's own
origin belongs to the default site. Any other origin must be registered
(``moderation site add``): it then gets ``Access-Control-Allow-Origin`` with
its own origin echoed, never ``*``; an unregistered origin gets no grant, and
its writes are refused with 403.
"""

import redis
from flask import Request, Response, g

from moderation.services import services
from moderation.sites import DEFAULT

ALLOWED_HEADERS = "Content-Type, X-Edit-Key"
ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"


class Unregistered(Exception):
    """The request's Origin belongs to no registered site."""


def own_origin(request: Request) -> str:
    return request.host_url.rstrip("/")


def request_site(request: Request) -> str:
    """The site of this request; raises :class:`Unregistered` for a foreign origin."""
    cached = g.get("site")
    if cached is not None:
        return cached
    origin = request.headers.get("Origin")
    if not origin or origin == own_origin(request):
        site = DEFAULT
    else:
        site = services().sites.site_for_origin(origin)
        if site is None:
            raise Unregistered(origin)
    g.site = site
    return site


def add_cors_headers(request: Request, response: Response) -> Response:
    origin = request.headers.get("Origin")
    vary = response.headers.get("Vary")  # response.vary.add() parses and rebuilds: slower
    if not vary:
        response.headers["Vary"] = "Origin"
    elif "origin" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Origin"
    if "Access-Control-Allow-Origin" in response.headers:  # a route that decided itself
        return response
    if not origin or origin == own_origin(request):
        return response
    try:
        request_site(request)
    except Unregistered:
        return response  # no grant: the browser keeps the answer from the page
    except redis.RedisError:
        # Redis is down: the origin cannot be checked, so no grant; the answer (a 503
        # when the view needed the site) must not become a 500 here.
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    return response
