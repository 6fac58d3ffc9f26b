"""The ``moderation`` command."""

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import click
from flask import Flask

from moderation import config
from moderation.redis_server import RedisServer


def _instance_path() -> Path:
    """Where the secret key and embedded Redis live: $INSTANCE_PATH, else ./instance."""
    return Path(os.environ.get("INSTANCE_PATH") or "instance").resolve()


def _settings() -> dict[str, Any]:
    try:
        return config.from_environ()
    except ValueError as error:
        raise click.UsageError(str(error)) from error


def _redis(min_timeout: float = 0.0, name: str | None = None) -> "Any":
    from moderation.services import connect

    settings = _settings()
    if not settings["REDIS_URL"]:
        raise click.UsageError("REDIS_URL is not set")
    return connect(
        settings["REDIS_URL"], max(settings["REDIS_SOCKET_TIMEOUT"], min_timeout), name=name
    )


def _serve(app: Flask, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            from moderation import gunicorn_conf  # the container's settings, shared

            shared = ("worker_class", "accesslog", "control_socket_disable",
                      "graceful_timeout", "access_log_format", "logger_class",
                      "child_exit")  # fmt: skip
            settings: dict[str, Any] = {
                name: getattr(gunicorn_conf, name) for name in shared
                if hasattr(gunicorn_conf, name)
            }  # fmt: skip
            settings.update(bind=f"{host}:{port}", workers=workers)
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    Server().run()


BLOCK_SECONDS = 1.0  # how long a worker waits on an empty queue before looking again


@click.group()
def main() -> None:
    """Comment service: web site, review queue and tools."""
    from moderation import logs

    logs.configure(os.environ.get("LOG_FORMAT") or "text")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes")
@click.option("--no-worker", is_flag=True, help="Do not start a classifier worker beside the site.")
def serve(host: str, port: int, workers: int, no_worker: bool) -> None:
    """Run the site. Without REDIS_URL, start an embedded, persistent Redis."""
    instance = _instance_path()
    embedded: RedisServer | None = None
    classifier: subprocess.Popen[bytes] | None = None
    config_: dict[str, Any] = {"INSTANCE_PATH": str(instance)}
    if not os.environ.get("REDIS_URL"):
        embedded = RedisServer(instance / "redis", persistent=True).start()
        config_["REDIS_URL"] = embedded.url
        click.echo(f"Embedded Redis {embedded.url} (data in {embedded.data_dir})")
    owner = os.getpid()
    metrics_dir = _metrics_dir(instance)
    try:
        from moderation.app import create_app  # after the metrics folder is set

        app = create_app(config_)
        if not no_worker:
            env = {**os.environ, "REDIS_URL": config_.get("REDIS_URL") or os.environ["REDIS_URL"]}
            name = f"serve-{socket.gethostname()}-{owner}"
            classifier = subprocess.Popen(  # noqa: S603 - our own command
                [sys.executable, "-m", "moderation.cli", "worker", "--name", name], env=env
            )
        shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104 - display only
        click.echo(f"Open http://{shown}:{port}/")
        _serve(app, host, port, workers)
    finally:
        if os.getpid() == owner:  # not in a forked web worker
            if classifier is not None:
                classifier.terminate()  # finishes its batch, then exits
                try:
                    classifier.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    classifier.kill()
            if embedded is not None and embedded.stop():
                click.echo("Embedded Redis stopped.")
            if metrics_dir is not None:
                shutil.rmtree(metrics_dir, ignore_errors=True)


def _metrics_dir(instance: Path) -> Path | None:
    """Give the web processes and the worker one metrics folder (a new one for
    each run: prometheus-client sums every file in it), unless the operator set
    ``PROMETHEUS_MULTIPROC_DIR``. Returns the folder made here, to remove."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return None
    folder = instance / f"metrics-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder


@main.command()
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
    from moderation.backoff import Backoff
    from moderation.bursts import BurstDetector
    from moderation.domain_history import DomainHistory
    from moderation.models import ModelCache, ModelRegistry
    from moderation.policy import Policy, load_blocklist
    from moderation.privacy import Privacy
    from moderation.sites import SiteRegistry
    from moderation.worker import OUTAGE, Worker, run_sites, wait_for_redis

    settings = _settings()
    # A worker's read blocks up to a second when the queue is empty: its
    # socket must wait longer than that, or an idle queue looks like an outage.
    client = _redis(min_timeout=BLOCK_SECONDS + 2, name=f"worker:{name}")
    registry = ModelRegistry(client)
    policy = Policy(
        spam_threshold=settings["SPAM_THRESHOLD"],
        approve_threshold=settings["APPROVE_THRESHOLD"],
        auto_approve=settings["AUTO_APPROVE"],
        max_links=settings["MAX_LINKS"],
        blocklist=load_blocklist(settings["BLOCKLIST_FILE"]),
    )

    half_life = settings["LINK_HISTORY_HALF_LIFE_DAYS"]

    def make_worker(site: str) -> Worker:
        return Worker(
            client, models=models, policy=policy, name=name, site=site,
            block_ms=int(BLOCK_SECONDS * 1000),
            batch_size=batch or settings["WORKER_BATCH"],
            reclaim_after=settings["RECLAIM_AFTER"] if reclaim_after is None else reclaim_after,
            max_deliveries=settings["MAX_DELIVERIES"],
            bursts=BurstDetector(client, site, window=settings["BURST_WINDOW"],
                                 threshold=settings["BURST_THRESHOLD"]),
            history=DomainHistory(client, site, half_life_days=half_life) if half_life else None,
        )  # fmt: skip

    models = ModelCache(registry)
    if metrics_port is not None:
        _serve_worker_metrics(metrics_port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # finish the batch, then exit
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    backoff = Backoff()
    while not stop.is_set():  # a worker started before Redis waits for it
        try:
            registry.ensure_default()
            break
        except OUTAGE as error:
            wait_for_redis(backoff, error, stop)
    started = time.monotonic()
    sites = SiteRegistry(client).names
    privacy = Privacy(client, sites)
    # Webhooks go out from their own thread: a slow receiver must not hold
    # up classification.
    hooks = threading.Thread(target=_deliver_webhooks, args=(client, stop), daemon=True)
    hooks.start()
    workers = run_sites(
        make_worker, sites, stop, burst=burst,
        tasks=[(3600.0, lambda: privacy.purge_daily(settings["RETENTION_DAYS"])),
               (60.0, _digest(client, sites, settings).send_if_due)],
    )  # fmt: skip
    elapsed = time.monotonic() - started
    total = {field: sum(getattr(w.stats, field) for w in workers)
             for field in ("classified", "skipped", "failed", "dead_lettered")}  # fmt: skip
    click.echo(
        f"worker {name}: {total['classified']} classified, {total['skipped']} skipped, "
        f"{total['failed']} failed, {total['dead_lettered']} dead-lettered in {elapsed:.1f} s"
    )


def _digest(client: "Any", sites: "Any", settings: dict[str, Any]) -> "Any":
    from moderation import i18n
    from moderation.digest import Digest, Mailer

    mailer = Mailer(
        host=settings["SMTP_HOST"] or "", port=settings["SMTP_PORT"],
        user=settings["SMTP_USER"] or "", password=settings["SMTP_PASSWORD"] or "",
        starttls=settings["SMTP_STARTTLS"], sender=settings["MAIL_FROM"],
    )  # fmt: skip
    recipients = [a.strip() for a in (settings["DIGEST_TO"] or "").split(",") if a.strip()]
    # No request to take a language from: each moderator's choice, else the default.
    return Digest(client, sites, mailer, every_minutes=settings["DIGEST_MINUTES"],
                  public_url=settings["PUBLIC_URL"], recipients=recipients or None,
                  lang=settings["DEFAULT_LANG"], catalogs=i18n.catalog)  # fmt: skip


def _deliver_webhooks(client: "Any", stop: threading.Event) -> None:
    from moderation.webhooks import Webhooks
    from moderation.worker import OUTAGE

    webhooks = Webhooks(client)
    while not stop.is_set():
        try:
            busy = webhooks.deliver_due()
        except OUTAGE:
            busy = 0  # the classifier loop reports outages; try again shortly
        except Exception:
            logging.getLogger(__name__).exception("webhook delivery failed")
            busy = 0
        stop.wait(0 if busy else 1.0)


def _serve_worker_metrics(port: int) -> None:
    from prometheus_client import REGISTRY, CollectorRegistry, multiprocess, start_http_server

    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    start_http_server(port, addr="0.0.0.0", registry=registry)  # noqa: S104 - scraped from outside


def _read_all(paths: tuple[str, ...], option: str = "--data") -> list:
    from classifiers.readers import DatasetError, read_examples

    examples = []
    for path in paths:
        try:
            examples.extend(read_examples(path))
        except (OSError, DatasetError) as error:
            raise click.BadParameter(str(error), param_hint=option) from error
    return examples


@main.command()
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Labelled examples (YouTube CSV, SMS TSV, or CSV with label,body).",
)
@click.option(
    "--eval",
    "held_out",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Held-out examples, never trained on: measured per slice, kept with the model, "
         "and compared with the current model's figures before the new one replaces it.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the model file here instead of publishing it to Redis.",
)
@click.option(
    "--from-decisions",
    is_flag=True,
    help="Refine the active model with moderators' decisions (partial_fit).",
)
@click.option("--no-dedup", is_flag=True, help="Keep repeated texts.")
@click.option(
    "--min-improvement",
    type=float,
    default=-0.01,
    show_default=True,
    help="With --from-decisions, activate only if held-back F1 changes by at least this.",
)
@click.option("--force", is_flag=True,
              help="Keep a new model although the regression gate refuses it.")  # fmt: skip
@click.argument("more", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def train(data: tuple[str, ...], held_out: tuple[str, ...], out: str | None,
          from_decisions: bool, no_dedup: bool, min_improvement: float, force: bool,
          more: tuple[str, ...]) -> None:  # fmt: skip
    """Train a model, or refine the active one with moderators' decisions.

    `--data a.csv b.csv` and `--data a.csv --data b.csv` both read two files.
    """
    data = data + more
    from classifiers import persistence
    from classifiers.readers import deduplicate
    from classifiers.training import train as fit

    if from_decisions:
        _refine_from_decisions(out, min_improvement, force)
        return
    if not data:
        raise click.UsageError("give --data FILE (one or more) or --from-decisions")
    examples = _read_all(data)
    if not no_dedup:
        examples = deduplicate(examples)
    evaluation = _read_all(held_out, "--eval")
    click.echo(f"training on {len(examples)} examples…", err=True)
    with click.progressbar(length=2, label="fitting", file=sys.stderr) as bar:
        model, metadata = fit(examples, evaluation=evaluation, progress=bar.update)
    figures = metadata["evaluation"]
    click.echo(json.dumps({
        "training": metadata["training"], "bands": metadata.get("bands"),
        "out_of_fold": figures.get("out_of_fold"),
        "held_out": {key: value for key, value in figures.get("held_out", {}).items()
                     if key not in {"slices", "reliability"}},
    }), err=True)  # fmt: skip
    registry = None
    if not out:
        from moderation.models import ModelRegistry

        registry = ModelRegistry(_redis())
    if evaluation:
        _gate(model, metadata, evaluation, _current_model(out, registry), force)
    if out:
        persistence.save(model, out, metadata)
        click.echo(f"model written to {out}")
        return
    assert registry is not None
    version = registry.publish(persistence.to_bytes(model, metadata), metadata)
    click.echo(f"model {version} published and active")


def _current_model(out: str | None, registry: "Any") -> "Any":
    """The model a new one would replace: the file at ``out``, else the
    active version in Redis, else the packaged one; None if unreadable."""
    from classifiers import persistence
    from moderation.models import packaged_model_bytes

    try:
        if out and Path(out).exists():
            return persistence.load(out)
        if registry is not None and registry.active_version():
            return registry.load(registry.active_version())
        return persistence.load(packaged_model_bytes())
    except persistence.ModelFileError as error:
        click.echo(f"no comparison with the current model: {error}", err=True)
        return None


def _gate(model: "Any", metadata: dict[str, Any], evaluation: list, current: "Any",
          force: bool) -> None:  # fmt: skip
    """Refuse (exit 1) a model that does worse than the current one on the
    held-out examples, unless ``force``."""
    from classifiers import bands, gate, report

    if current is None:
        return
    old_model, old_metadata = current
    new = report.build(model, evaluation, bands=bands.from_metadata(metadata), mistakes=0)
    old = report.build(old_model, evaluation, bands=bands.from_metadata(old_metadata),
                       mistakes=0)  # fmt: skip
    refusals = gate.refusals(new, old)
    if not refusals:
        return
    for reason in refusals:
        click.echo(f"regression: {reason}", err=True)
    if not force:
        raise click.ClickException(
            "the new model does worse than the current one on the held-out examples "
            "(--force keeps it anyway)"
        )


def _refine_from_decisions(out: str | None, min_improvement: float, force: bool) -> None:
    from classifiers import bands, gate, persistence, report
    from classifiers.readers import read_examples
    from classifiers.training import refine
    from moderation import feedback
    from moderation.models import ModelRegistry
    from moderation.sites import SiteRegistry

    client = _redis()
    registry = ModelRegistry(client)
    version = registry.ensure_default()
    model, metadata = registry.load(version)
    cursors = feedback.cursors(metadata.get("decisions_until"))
    sites = SiteRegistry(client).names()
    entries = [entry for site in sites
               for entry in feedback.read(client, site, after=cursors.get(site, "0-0"))]
    if not entries:
        click.echo("no new decisions to learn from")
        return
    spam_at, _good = bands.from_metadata(metadata) or (0.5, 0.5)
    replay = [example for name in ("seed.csv", "news_train.csv")
              for example in read_examples(packaged_data(name))]  # fmt: skip
    model, figures = refine(model, feedback.as_examples(entries), spam_threshold=spam_at,
                            replay=replay)  # fmt: skip
    click.echo(json.dumps(figures), err=True)
    before, after = figures["before"] or {}, figures["after"] or {}
    refusals = []
    if before and after:
        if after["f1"] - before["f1"] < min_improvement:
            refusals.append(f"held-back F1 fell from {before['f1']} to {after['f1']}")
        for key in ("ham_flagged", "ham_flagged_at_band"):
            if after[key] > before[key]:
                refusals.append(f"held-back {key.replace('_', ' ')} rose from {before[key]} "
                                f"to {after[key]}")  # fmt: skip
    # The project's own held-out news comments: no slice may fall, no more
    # legitimate comments may be flagged.
    held = read_examples(packaged_data("news_holdout.csv"))
    old_model = registry.load(version)[0]
    band = bands.from_metadata(metadata)
    refusals += gate.refusals(report.build(model, held, bands=band, mistakes=0),
                              report.build(old_model, held, bands=band, mistakes=0))
    good = force or not refusals
    until = {site: feedback.last_entry_id(client, site) for site in sites}
    until = {site: entry for site, entry in {**cursors, **until}.items() if entry}
    metadata = {**metadata, "parent": version, "refined": figures, "decisions_until": until,
                "refusals": refusals}  # fmt: skip
    data = persistence.to_bytes(model, metadata)
    if out:
        Path(out).write_bytes(data)
        click.echo(f"model written to {out}")
        return
    new = registry.publish(data, metadata, activate=good)
    if good:
        click.echo(f"model {new} (from {len(entries)} decisions) published and active")
    else:
        click.echo(f"model {new} published but NOT activated: " + "; ".join(refusals))


def packaged_data(name: str) -> Path:
    import classifiers

    return Path(classifiers.__file__).parent / "data" / name


@main.command()
@click.option(
    "--data", "data", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False)
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Model file (default: the packaged model).",
)
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--report", "full", is_flag=True,
              help="Also the bands, a reliability table, figures per slice (language, links, "
                   "length, kind, site, origin) and the ten surest mistakes with their reasons.")
@click.option("--chart", type=click.Path(dir_okay=False), default=None,
              help="Write the reliability chart (SVG) to this file.")
@click.argument("more", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def evaluate(data: tuple[str, ...], model_path: str | None, threshold: float, as_json: bool,
             full: bool, chart: str | None, more: tuple[str, ...]) -> None:  # fmt: skip
    """Score labelled examples with a model and print the figures."""
    data = data + more
    from classifiers import bands, calibration, persistence, report
    from classifiers.training import evaluate as measure
    from moderation.models import packaged_model_bytes

    source = model_path or packaged_model_bytes()
    try:
        model, metadata = persistence.load(source)
    except persistence.ModelFileError as error:
        raise click.BadParameter(str(error), param_hint="--model") from error
    examples = _read_all(data)
    if not full and not chart:
        figures = measure(model, examples, threshold)
        if as_json:
            click.echo(json.dumps(figures))
            return
        for key, value in figures.items():
            click.echo(f"{key:>12}  {value}")
        return
    document = report.build(model, examples, threshold=threshold,
                            bands=bands.from_metadata(metadata),
                            mistakes=report.MISTAKES if full else 0)  # fmt: skip
    if chart:
        table = [calibration.Bin(**item) for item in document["reliability"]]
        Path(chart).write_text(calibration.reliability_svg(
            table, title=f"Reliability on {len(examples)} comments"), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False))
    elif full:
        click.echo(report.as_text(document))
    if chart and not as_json:
        click.echo(f"reliability chart written to {chart}")


@main.group()
def moderator() -> None:
    """Accounts (owners and moderators of sites), sessions, 2FA and API tokens."""


def _accounts() -> "Any":
    from moderation.accounts import Accounts

    return Accounts(_redis())


def _account_call(call: "Any", *args: "Any") -> "Any":
    """``call(*args)``, an account error becoming a clean exit with its message."""
    from moderation.accounts import AccountError

    try:
        return call(*args)
    except AccountError as error:
        raise click.ClickException(str(error)) from error


def _read_password(from_stdin: bool, prompt: str) -> str:
    """One line of standard input (for scripts), else a hidden, confirmed prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)


def _team_log(event: str, **fields: str) -> None:
    from moderation.audit import AuditLog

    AuditLog.team(_redis()).event("cli", event, **fields)


def _known_sites(sites: tuple[str, ...]) -> list[str]:
    from moderation.sites import SiteRegistry

    known = SiteRegistry(_redis()).names()
    unknown = [name for name in sites if name not in known]
    if unknown:
        raise click.BadParameter(f"no site {unknown[0]} (sites: {', '.join(known)})",
                                 param_hint="--site")  # fmt: skip
    return list(sites)


def _role(sites: tuple[str, ...], owner: bool) -> tuple[str, list[str]]:
    if owner == bool(sites):
        raise click.UsageError("give --owner, or one --site NAME per site to moderate")
    return ("owner", []) if owner else ("moderator", _known_sites(sites))


_SITE_OPTION = click.option("--site", "sites", multiple=True, metavar="NAME",
                            help="A site to moderate (repeat for several).")  # fmt: skip
_OWNER_OPTION = click.option("--owner", is_flag=True,
                             help="Every site, and the team, the sites, the webhooks.")  # fmt: skip


@moderator.command("add")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@_SITE_OPTION
@_OWNER_OPTION
def moderator_add(email: str, password_stdin: bool, sites: tuple[str, ...], owner: bool) -> None:
    """Create an account: an owner, or a moderator of some sites (prompts for the password)."""
    role, chosen = _role(sites, owner)
    password = _read_password(password_stdin, "Password")
    added = _account_call(lambda: _accounts().add(email, password, role=role, sites=chosen))
    _team_log("added", account=added, role=role, sites=",".join(chosen))
    click.echo(f"{role} {added} added" + (f" ({', '.join(chosen)})" if chosen else ""))


@moderator.command("invite")
@click.argument("email")
@_SITE_OPTION
@_OWNER_OPTION
def moderator_invite(email: str, sites: tuple[str, ...], owner: bool) -> None:
    """Print a one-time sign-up link for EMAIL (valid 48 h; they choose their password)."""
    from moderation.invitations import Invitations

    role, chosen = _role(sites, owner)
    invitations = Invitations(_redis(), _accounts())
    token = _account_call(lambda: invitations.create(email, role, chosen, "cli"))
    _team_log("invited", account=email, role=role, sites=",".join(chosen))
    click.echo(f"{_settings()['PUBLIC_URL'].rstrip('/')}/moderation/join/{token}")


@moderator.command("grant")
@click.argument("email")
@click.option("--site", required=True, metavar="NAME", help="The site to add.")
def moderator_grant(email: str, site: str) -> None:
    """Let a moderator see and decide one more site."""
    _known_sites((site,))
    account = _account_call(lambda: _accounts().grant(email, site))
    _team_log("grants", account=account.email, role=account.role, sites=",".join(account.sites))
    click.echo(f"{account.email} moderates {', '.join(sorted(account.sites))}")


@moderator.command("revoke")
@click.argument("email")
@click.option("--site", default=None, metavar="NAME", help="The site to take away.")
def moderator_revoke(email: str, site: str | None) -> None:
    """Take a site away from a moderator (their sessions end)."""
    if site is None:
        if "@" not in email:  # the command's earlier meaning: revoke a token
            moderator_token_revoke.callback(email)  # type: ignore[misc]
            return
        raise click.UsageError("give --site NAME")
    account = _account_call(lambda: _accounts().revoke_site(email, site))
    _team_log("grants", account=account.email, role=account.role, sites=",".join(account.sites))
    click.echo(f"{account.email} moderates {', '.join(sorted(account.sites))}; "
               "their sessions have ended")  # fmt: skip


@moderator.command("password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def moderator_password(email: str, password_stdin: bool) -> None:
    """Set a new password for EMAIL (every session of the account ends)."""
    _account_call(_accounts().set_password, email, _read_password(password_stdin, "New password"))
    _team_log("password", account=email)
    click.echo(f"password of {email} changed; every session of the account has ended")


@moderator.command("list")
def moderator_list() -> None:
    """Every account: role, sites, second factor, last sign-in, API tokens."""
    accounts = _accounts()
    for account in accounts.accounts():
        tokens = accounts.tokens(account.email)
        where = "every site" if account.owner else ", ".join(sorted(account.sites))
        last = (time.strftime("%Y-%m-%d %H:%M", time.gmtime(account.last_login))
                if account.last_login else "never")  # fmt: skip
        click.echo(f"{account.email}  {account.role} of {where}  "
                   f"2FA {'on' if account.two_factor else 'off'}  last sign-in {last}  "
                   f"({len(tokens)} API token{'s' if len(tokens) != 1 else ''})")  # fmt: skip


@moderator.command("remove")
@click.argument("email")
def moderator_remove(email: str) -> None:
    """Delete an account, end its sessions and revoke its tokens."""
    _account_call(_accounts().remove, email)
    _team_log("removed", account=email)
    click.echo(f"moderator {email} removed")


@moderator.command("sessions")
@click.argument("email")
@click.option("--end", is_flag=True, help="End every session of the account at once.")
def moderator_sessions(email: str, end: bool) -> None:
    """List an account's sessions, or end them all."""
    from moderation.sessions import Sessions

    settings = _settings()
    sessions = Sessions(_redis(), _accounts(), idle_seconds=settings["MODERATOR_IDLE_MINUTES"] * 60,
                        lifetime_seconds=settings["MODERATOR_SESSION_HOURS"] * 3600)  # fmt: skip
    account = _account_call(_accounts().require, email)
    if end:
        ended = sessions.end_all(account.email)
        _team_log("sessions_ended", account=account.email, count=str(ended))
        click.echo(f"{ended} session{'s' if ended != 1 else ''} of {account.email} ended")
        return
    for record in sessions.records(account.email):
        seen = time.strftime("%Y-%m-%d %H:%M", time.gmtime(record.seen_at))
        started = time.strftime("%Y-%m-%d %H:%M", time.gmtime(record.created_at))
        click.echo(f"{record.sid[:8]}  started {started}  last seen {seen}  {record.agent}")


@moderator.command("2fa")
@click.argument("email")
@click.option("--disable", is_flag=True, help="Turn one-time codes off for the account.")
@click.option("--code-stdin", is_flag=True, help="Read the confirming code from standard input.")
def moderator_two_factor(email: str, disable: bool, code_stdin: bool) -> None:
    """Turn on one-time codes for EMAIL: prints the key for their app, asks a
    code from it, then prints the ten recovery codes (shown once)."""
    from moderation.two_factor import TwoFactor

    factor = TwoFactor(_redis(), _accounts())
    if disable:
        _account_call(factor.disable, email)
        _team_log("2fa_disabled", account=email)
        click.echo(f"one-time codes turned off for {email}")
        return
    uri = _account_call(factor.begin, email)
    click.echo(f"Add this to an authenticator app (or scan it as a QR code):\n{uri}", err=True)
    code = sys.stdin.readline().strip() if code_stdin else click.prompt("Code from the app")
    codes = factor.confirm(email, code)
    if codes is None:
        raise click.ClickException("wrong code: nothing changed (run the command again)")
    _team_log("2fa_enrolled", account=email)
    click.echo("one-time codes on. Recovery codes (each works once; shown only now):")
    click.echo("\n".join(codes))


@moderator.command("token")
@click.argument("email")
@click.option("--site", "sites", multiple=True, metavar="NAME",
              help="Only this site (repeat for several); default: every site of the account.")
def moderator_token(email: str, sites: tuple[str, ...]) -> None:
    """Print a new API token for EMAIL (shown once, stored hashed)."""
    chosen = _known_sites(sites) if sites else None
    click.echo(_account_call(lambda: _accounts().create_token(email, chosen)))


@moderator.command("tokens")
@click.argument("email")
def moderator_tokens(email: str) -> None:
    """List EMAIL's tokens: id, created, last used, sites."""
    for token in _accounts().tokens(email):
        created = time.strftime("%Y-%m-%d %H:%M", time.gmtime(token.created_at))
        used = (
            time.strftime("%Y-%m-%d %H:%M", time.gmtime(token.last_used))
            if token.last_used
            else "never"
        )
        where = ", ".join(sorted(token.sites)) if token.sites else "every site of the account"
        click.echo(f"{token.token_id}  created {created}  last used {used}  {where}")


@moderator.command("token-revoke")
@click.argument("token_id")
def moderator_token_revoke(token_id: str) -> None:
    """Revoke a token by its id (from `moderator tokens`)."""
    email = _account_call(_accounts().revoke, token_id)
    click.echo(f"token {token_id} of {email} revoked")


@main.group()
def site() -> None:
    """Sites allowed to embed the widget (changes apply to running processes)."""


def _sites() -> "Any":
    from moderation.sites import SiteRegistry

    return SiteRegistry(_redis())


@site.command("add")
@click.argument("name")
@click.option(
    "--origin",
    "origins",
    multiple=True,
    required=True,
    help="An origin the site is served from, such as https://news.example.org.",
)
def site_add(name: str, origins: tuple[str, ...]) -> None:
    """Register NAME (or replace its origins)."""
    from moderation.sites import SiteError

    try:
        added = _sites().add(name, list(origins))
    except SiteError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"site {added.name}: {' '.join(added.origins)}")


@site.command("list")
def site_list() -> None:
    for entry in _sites().all():
        click.echo(f"{entry.name}  {' '.join(entry.origins)}")


@site.command("remove")
@click.argument("name")
def site_remove(name: str) -> None:
    """Unregister NAME: its origins lose access at once; its comments stay in Redis."""
    from moderation.sites import SiteError

    try:
        _sites().remove(name)
    except SiteError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"site {name} removed")


@main.group()
def model() -> None:
    """Model versions kept in Redis."""


@model.command("list")
def model_list() -> None:
    from classifiers.bands import from_metadata
    from moderation.models import ModelRegistry

    for entry in ModelRegistry(_redis()).versions():
        evaluation = entry.metadata.get("evaluation", {})
        held = evaluation.get("held_out") or evaluation.get("out_of_fold") or {}
        bands = from_metadata(entry.metadata)
        when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(entry.created_at))
        mark = "*" if entry.active else " "
        refused = "; ".join(entry.metadata.get("refusals") or [])
        click.echo(
            f"{mark} {entry.version:>5}  {when}  n={entry.metadata.get('training', {}).get('n')}"
            f"  f1={held.get('f1')}  bands={'/'.join(map(str, bands)) if bands else '-'}"
            f"  {entry.metadata.get('source', '')}" + (f"  refused: {refused}" if refused else "")
        )


@model.command("rollback")
def model_rollback() -> None:
    from moderation.models import ModelRegistry, NoModel

    try:
        version = ModelRegistry(_redis()).rollback()
    except NoModel as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"model {version} is active again")


@model.command("activate")
@click.argument("version")
def model_activate(version: str) -> None:
    from moderation.models import ModelRegistry, NoModel

    try:
        ModelRegistry(_redis()).activate(version)
    except NoModel as error:
        raise click.ClickException(f"no model {error}") from error
    click.echo(f"model {version} is active")


@main.group()
def privacy() -> None:
    """Personal data: retention, a person's export and erasure."""


def _privacy() -> "Any":
    from moderation.privacy import Privacy
    from moderation.sites import SiteRegistry

    client = _redis()
    return Privacy(client, SiteRegistry(client).names)


@privacy.command("purge")
@click.option("--days", type=int, default=None, help="Retention in days [RETENTION_DAYS].")
def privacy_purge(days: int | None) -> None:
    """Erase e-mails, user agents and IP hashes of comments older than the retention."""
    retention = _settings()["RETENTION_DAYS"] if days is None else days
    touched = _privacy().purge(retention)
    click.echo(f"{touched} comments older than {retention} days purged of personal data")


@privacy.command("export")
@click.argument("email")
def privacy_export(email: str) -> None:
    """Print, as JSON, everything stored about EMAIL."""
    click.echo(json.dumps(_privacy().export(email), ensure_ascii=False, indent=2))


@privacy.command("delete")
@click.argument("email")
@click.option("--with-comments", is_flag=True,
              help="Erase published comments too, instead of keeping their text as « Anonyme ».")
def privacy_delete(email: str, with_comments: bool) -> None:
    """Erase or anonymise everything stored about EMAIL (audited)."""
    done = _privacy().delete(email, with_comments=with_comments)
    click.echo(f"{done.erased} comments erased, {done.anonymised} anonymised, "
               f"{done.training_examples} training examples removed")  # fmt: skip


@main.command("export")
@click.option("--site", default=None, help="One site only (default: every site).")
def export_command(site: str | None) -> None:
    """Every comment as JSON Lines on standard output (re-import with `import jsonl`)."""
    from moderation.sites import SiteRegistry
    from moderation.store import CommentStore
    from moderation.transfer import export_jsonl

    client = _redis()
    names = [site] if site else SiteRegistry(client).names()
    total = sum(export_jsonl(CommentStore(client, name), sys.stdout) for name in names)
    click.echo(f"{total} comments exported", err=True)


@main.command("import")
@click.argument("kind", type=click.Choice(["wordpress", "disqus", "jsonl"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--site", default=None,
              help="Site to import into [default: the default site; for jsonl, each row's].")
def import_command(kind: str, path: str, site: str | None) -> None:
    """Comments from a WordPress (WXR) or Disqus export, or from `moderation export`.
    Running it twice creates nothing new."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    from moderation import transfer
    from moderation.sites import SiteRegistry
    from moderation.store import CommentStore

    if site is not None and (problem := transfer.site_problem(site)):
        raise click.BadParameter(problem, param_hint="--site")
    client = _redis()
    if kind == "jsonl":
        with open(path, encoding="utf-8") as lines:
            try:
                records = list(transfer.read_jsonl(lines))
            except ValueError as error:
                raise click.ClickException(str(error)) from error
    else:
        reader = transfer.read_wordpress if kind == "wordpress" else transfer.read_disqus
        with open(path, "rb") as source:
            try:
                records = list(reader(source))
            except (ParseError, DefusedXmlException, ValueError) as error:
                raise click.ClickException(f"{path}: not a {kind} export ({error})") from error
    by_site, problems = transfer.by_site(records, site)
    known = set(SiteRegistry(client).names())
    for name, group in by_site.items():
        if name not in known:
            raise click.ClickException(f"unknown site {name!r}: add it with `moderation site add`")
        counts = transfer.import_records(CommentStore(client, name), kind, group)
        problems += counts.problems
        click.echo(f"{name}: {counts}")
    for problem in problems:  # why each record left out was
        click.echo(problem, err=True)


@main.group()
def webhook() -> None:
    """URLs told about new comments and decisions (signed, retried)."""


def _webhooks() -> "Any":
    from moderation.webhooks import Webhooks

    return Webhooks(_redis())


@webhook.command("add")
@click.argument("url")
@click.option("--event", "events", multiple=True, required=True,
              type=click.Choice(["comment.created", "comment.decided"]))
@click.option("--secret", default=None, help="Signing secret (default: a new random one).")
def webhook_add(url: str, events: tuple[str, ...], secret: str | None) -> None:
    """Register URL for the given events; prints its id and signing secret."""
    try:
        hook = _webhooks().add(url, list(events), secret)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"{hook.id} {hook.url} {','.join(hook.events)}")
    click.echo(f"secret: {hook.secret}")


@webhook.command("list")
def webhook_list() -> None:
    for hook in _webhooks().all():
        click.echo(f"{hook.id} {hook.url} {','.join(hook.events)}")


@webhook.command("remove")
@click.argument("hook_id")
def webhook_remove(hook_id: str) -> None:
    if not _webhooks().remove(hook_id):
        raise click.ClickException(f"no webhook {hook_id}")
    click.echo(f"removed {hook_id}")


if __name__ == "__main__":  # after every command: `python -m moderation.cli` needs them all
    main()
