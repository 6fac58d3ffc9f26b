"""Plain connections to every primary behind a ``REDIS_URL``: one for a
single Redis, one per master for a Cluster (whose keys each live on one).

Backups read bytes, not text: the service's clients decode replies, these
do not, so a value that is not UTF-8 still round-trips.
"""

from typing import Any

import redis
from redis.cluster import RedisCluster

from moderation.services import CLUSTER_SCHEME, connect


def _as_sent(node: redis.Redis) -> redis.Redis:
    # Entries and pending lists as Redis sends them: redis-py would fold an
    # entry's fields into a dict, read XPENDING's detailed form as the summary
    # and XCLAIM ... JUSTID's ids as entries.
    for command in ("XRANGE", "XPENDING", "XCLAIM"):
        node.set_response_callback(command, lambda response, **options: response)
    return node


def _plain(host: str, port: int, timeout: float, **kwargs: Any) -> redis.Redis:
    return _as_sent(redis.Redis(host=host, port=port, socket_timeout=timeout,
                                socket_connect_timeout=timeout, **kwargs))  # fmt: skip


class Nodes:
    """The primaries of ``url`` and, for restoring, the one that owns a key."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.cluster: RedisCluster | None = None
        if url.startswith(CLUSTER_SCHEME):
            self.cluster = connect(url, timeout)  # type: ignore[assignment] - a RedisCluster
            assert isinstance(self.cluster, RedisCluster)
            self.primaries = [_plain(node.host, node.port, timeout)
                              for node in self.cluster.get_primaries()]  # fmt: skip
        else:
            self.primaries = [_as_sent(redis.Redis.from_url(
                url, socket_timeout=timeout, socket_connect_timeout=timeout))]  # fmt: skip
        self._by_address = {self._address(node): node for node in self.primaries}

    @staticmethod
    def _address(node: redis.Redis) -> tuple[str, int]:
        kwargs = node.connection_pool.connection_kwargs
        return str(kwargs.get("host")), int(kwargs.get("port") or 6379)

    def for_key(self, key: bytes) -> redis.Redis:
        """The primary that holds ``key``."""
        if self.cluster is None:
            return self.primaries[0]
        owner = self.cluster.get_node_from_key(key)
        address = (owner.host, owner.port)
        if address not in self._by_address:
            self._by_address[address] = _plain(owner.host, owner.port, self.timeout)
        return self._by_address[address]

    @property
    def kind(self) -> str:
        return "cluster" if self.cluster is not None else "single"

    def close(self) -> None:
        for node in self._by_address.values():
            node.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> "Nodes":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
