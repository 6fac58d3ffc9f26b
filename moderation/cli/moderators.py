"""``moderation moderator ...``: accounts (owners and moderators of sites),
their sessions, second factor and API tokens. Every change is written to the
team's log, as the team page does."""

import sys
import time
from typing import Any

import click

from moderation.cli.common import read_password, redis_client, settings


@click.group()
def moderator() -> None:
    """Accounts (owners and moderators of sites), sessions, 2FA and API tokens."""


def _accounts() -> Any:
    from moderation.accounts import Accounts

    return Accounts(redis_client())


def _account_call(call: Any, *args: Any) -> Any:
    """``call(*args)``, an account error becoming a clean exit with its message."""
    from moderation.accounts import AccountError

    try:
        return call(*args)
    except AccountError as error:
        raise click.ClickException(str(error)) from error


def _team_log(event: str, **fields: str) -> None:
    from moderation.audit import AuditLog

    AuditLog.team(redis_client()).event("cli", event, **fields)


def _known_sites(sites: tuple[str, ...]) -> list[str]:
    from moderation.sites import SiteRegistry

    known = SiteRegistry(redis_client()).names()
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
    password = read_password(password_stdin, "Password")
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
    invitations = Invitations(redis_client(), _accounts())
    token = _account_call(lambda: invitations.create(email, role, chosen, "cli"))
    _team_log("invited", account=email, role=role, sites=",".join(chosen))
    click.echo(f"{settings()['PUBLIC_URL'].rstrip('/')}/moderation/join/{token}")


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
    _account_call(_accounts().set_password, email, read_password(password_stdin, "New password"))
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

    current = settings()
    sessions = Sessions(redis_client(), _accounts(),
                        idle_seconds=current["MODERATOR_IDLE_MINUTES"] * 60,
                        lifetime_seconds=current["MODERATOR_SESSION_HOURS"] * 3600)  # fmt: skip
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

    factor = TwoFactor(redis_client(), _accounts())
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
