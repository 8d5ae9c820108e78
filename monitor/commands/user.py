"""`clusterwatch user add|list|remove|passwd|role`: the curators who may log in to the web UI.

Passwords are prompted for twice without echo, or read from standard input with
--password-stdin (for scripts: `printf '%s\\n' "$PW" | clusterwatch user add ana --password-stdin`).
Only the argon2 hash is stored.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

import click
from sqlalchemy.orm import Session

from clusterwatch.db.store import audit
from clusterwatch.db.store.users import (
    Role,
    UserError,
    add_user,
    change_password,
    find_user,
    list_users,
    remove_user,
    set_role,
)
from clusterwatch.monitor.actors import shell_actor
from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.exit_codes import BadInput
from clusterwatch.monitor.store_access import open_store
from clusterwatch.monitor.web.passwords import MIN_PASSWORD_LENGTH, hash_password

db_option = click.option("--db", "db", help="Database URL (default: CLUSTERWATCH_DB or SQLite).")


@click.group()
def user() -> None:
    """Manage the curators who may log in to the web UI."""


def _trail(
    session: Session,
    name: str,
    action: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> None:
    """Record an account change under the system user who ran the command."""
    actor = shell_actor()
    audit.record(
        session,
        audit.Change(actor, "user", name.strip(), action, None, old, new),
        datetime.now(UTC),
    )


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadInput(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    return password


ROLE_CHOICE = click.Choice([role.value for role in Role])
ROLE_HELP = (
    "viewer reads; curator also reviews, overrides and edits the registry; admin also users."
)


@user.command("add")
@click.argument("name")
@click.option(
    "--role", default=Role.CURATOR.value, type=ROLE_CHOICE, show_default=True, help=ROLE_HELP
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@click.pass_context
def add(ctx: click.Context, name: str, role: str, password_stdin: bool, db: str | None) -> None:
    """Add user NAME; asks for the password twice (hidden) unless --password-stdin."""
    password = _read_password(password_stdin)
    sessions = open_store(settings_from(ctx, db=db).db, create=True)
    try:
        with sessions.begin() as session:
            add_user(session, name, hash_password(password), datetime.now(UTC), Role(role))
            _trail(session, name, "user_added", None, {"role": role})
    except UserError as exc:
        raise BadInput(str(exc)) from exc
    click.echo(f"added user {name.strip()!r} ({role})")


@user.command("role")
@click.argument("name")
@click.argument("role", type=ROLE_CHOICE)
@db_option
@click.pass_context
def role_command(ctx: click.Context, name: str, role: str, db: str | None) -> None:
    """Give user NAME another ROLE (viewer, curator or admin)."""
    sessions = open_store(settings_from(ctx, db=db).db)
    try:
        with sessions.begin() as session:
            before = find_user(session, name)
            old = {"role": before.role} if before else None
            set_role(session, name, Role(role))
            _trail(session, name, "role_changed", old, {"role": role})
    except UserError as exc:
        raise BadInput(str(exc)) from exc
    click.echo(f"{name!r} is now {role}")


@user.command("list")
@db_option
@click.pass_context
def list_command(ctx: click.Context, db: str | None) -> None:
    """List the accounts: name, creation date and role, one a line."""
    sessions = open_store(settings_from(ctx, db=db).db)
    with sessions() as session:
        for account in list_users(session):
            click.echo(f"{account.name}\t{account.created_at:%Y-%m-%d}\t{account.role}")


@user.command("remove")
@click.argument("name")
@db_option
@click.pass_context
def remove(ctx: click.Context, name: str, db: str | None) -> None:
    """Remove curator NAME; their past reviews keep their name."""
    sessions = open_store(settings_from(ctx, db=db).db)
    with sessions.begin() as session:
        account = find_user(session, name)
        old = (
            {"role": account.role, "created_at": account.created_at.isoformat()}
            if account
            else None
        )
        if not remove_user(session, name):
            raise BadInput(f"no user {name!r}; see `clusterwatch user list`")
        _trail(session, name, "user_removed", old, None)
    click.echo(f"removed user {name!r}")


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@db_option
@click.pass_context
def passwd(ctx: click.Context, name: str, password_stdin: bool, db: str | None) -> None:
    """Set a new password for NAME; every web session of NAME is logged out."""
    password = _read_password(password_stdin)
    sessions = open_store(settings_from(ctx, db=db).db)
    try:
        with sessions.begin() as session:
            change_password(session, name, hash_password(password))
            _trail(session, name, "password_changed", None, None)
    except UserError as exc:
        raise BadInput(str(exc)) from exc
    click.echo(f"changed the password of {name!r}; their sessions are logged out")
