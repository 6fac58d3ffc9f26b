"""The OpenAPI document of the public JSON API, shipped as ``moderation/openapi.json``."""

from functools import cache
from importlib import resources

from flask import Request, Response

# It only changes with a deploy; the ETag lets a client revalidate cheaply after that.
MAX_AGE = 3600


@cache
def document() -> bytes:
    """The document's bytes, read from the package once per process."""
    return resources.files("moderation").joinpath("openapi.json").read_bytes()


def serve(request: Request) -> Response:
    response = Response(document(), mimetype="application/json")
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    # Public and free of credentials: any page or tool may read it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.add_etag()
    return response.make_conditional(request)
