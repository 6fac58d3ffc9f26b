"""The image's ``HEALTHCHECK``: ``python -m moderation.healthcheck`` asks
``/healthz`` on the address gunicorn binds (``BIND``, else ``PORT``, as in
:mod:`moderation.gunicorn_conf`) and exits 0 on a 200, 1 otherwise."""

import sys
import urllib.error
import urllib.request


def health_url(bind: str) -> str:
    """``/healthz`` on the address of ``bind`` (``host:port``, ``[v6]:port``,
    or a wildcard host, asked on the loopback)."""
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    if host in {"", "0.0.0.0"}:  # noqa: S104 - read, not bound
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/healthz"


def main() -> int:
    from moderation.gunicorn_conf import bind

    # Straight to the server, whatever *_proxy variables say.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(health_url(bind), timeout=2) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


if __name__ == "__main__":
    sys.exit(main())
