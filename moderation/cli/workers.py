"""``moderation worker``: one classifier worker process (see
:mod:`moderation.worker.process`)."""

import os
import socket

import click
import redis

from moderation import migrations
from moderation.cli.common import instance_path, redis_client, settings


@click.command()
@click.option("--name", default=lambda: f"{socket.gethostname()}-{os.getpid()}",
              help="Consumer name, unique per running worker.")  # fmt: skip
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@click.option(
    "--reclaim-after",
    type=float,
    default=None,
    help="Seconds after which a dead worker's entries are taken over [RECLAIM_AFTER].",
)
@click.option("--batch", type=int, default=None, help="Comments per batch [WORKER_BATCH].")
@click.option("--metrics-port", type=int, default=None,
              help="Serve this worker's Prometheus metrics on 0.0.0.0:PORT (for workers run "
                   "apart from the web processes).")  # fmt: skip
def worker(
    name: str, burst: bool, reclaim_after: float | None, batch: int | None,
    metrics_port: int | None,
) -> None:  # fmt: skip
    """Classify queued comments (many workers may run)."""
    # Not at the top: prometheus-client must load after `serve` sets its folder.
    from moderation.worker import process

    current = settings()
    if not current["SECRET_KEY"]:  # the site's own, which signs the reply e-mails' links
        from moderation.services import load_or_create_secret

        current["SECRET_KEY"] = load_or_create_secret(instance_path())
    client = redis_client(min_timeout=process.MIN_SOCKET_TIMEOUT, name=f"worker:{name}")
    try:
        migrations.ensure_current(client, current["AUTO_MIGRATE"])
    except migrations.DataFormatError as error:
        raise click.ClickException(str(error)) from error
    except redis.RedisError as error:  # Redis not up yet: the worker waits for it anyway
        click.echo(f"could not check the data format in Redis: {error}", err=True)
    done = process.run(client, current, name=name, burst=burst, reclaim_after=reclaim_after,
                       batch=batch, metrics_port=metrics_port)  # fmt: skip
    click.echo(
        f"worker {name}: {done.classified} classified, {done.skipped} skipped, "
        f"{done.failed} failed, {done.dead_lettered} dead-lettered in {done.seconds:.1f} s"
    )
