"""The container's HEALTHCHECK: ``python -m moderation.healthcheck`` asks
``/healthz`` on the address gunicorn listens on, so a container started on
another port (``PORT`` or ``BIND``) still reports its real health."""

import os
import sys
import urllib.request
from collections.abc import Mapping


def bind_address(environ: Mapping[str, str] = os.environ) -> str:
    """Where gunicorn listens: ``BIND`` as given, else every address on ``PORT``."""
    return environ.get("BIND") or f"0.0.0.0:{environ.get('PORT') or '8000'}"


def probe_url(bind: str) -> str:
    """The /healthz address to ask for a bind address (a wildcard host is asked
    on the loopback)."""
    if bind.startswith("unix:"):
        raise ValueError(f"cannot probe a Unix socket over HTTP: {bind}")
    host, _, port = bind.rpartition(":")
    if host in ("", "0.0.0.0", "::", "[::]"):  # noqa: S104 - a wildcard, not a bind
        host = "127.0.0.1"
    return f"http://{host}:{port}/healthz"


def main() -> int:
    try:
        url = probe_url(bind_address())
        # Straight to the server, whatever *_proxy variables say.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=2) as response:
            return 0 if response.status == 200 else 1
    except (OSError, ValueError) as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
