"""Web UI accounts: create, find, list and remove curators in `users`.

Only stores what it is given: the password hash is computed by monitor.web.passwords, so this
module knows SQL and nothing about hashing, and never sees a clear-text password.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterwatch.db.models import User

MAX_NAME_LENGTH = 120  # the column's width


class Role(StrEnum):
    """What an account may do; each role may do everything the roles before it may."""

    VIEWER = "viewer"  # reads everything
    CURATOR = "curator"  # reviews flags, sets overrides, writes notes, edits the registry
    ADMIN = "admin"  # manages accounts and backups

    def allows(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise UserError(f"unknown role {value!r}; choose one of {choices}") from None


class UserError(ValueError):
    """A user cannot be added or changed; the message says why and what to do."""


def add_user(
    session: Session, name: str, password_hash: str, now: datetime, role: Role = Role.CURATOR
) -> User:
    """Insert a curator; raises UserError when the name is empty, too long or taken.

    After a UserError the session must be rolled back (leaving `sessions.begin()` does it).
    """
    name = name.strip()
    if not name:
        raise UserError("a user name cannot be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise UserError(f"a user name has at most {MAX_NAME_LENGTH} characters")
    user = User(name=name, password_hash=password_hash, created_at=now, role=role.value)
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:
        raise UserError(f"user {name!r} already exists; remove it first to reset it") from exc
    return user


def find_user(session: Session, name: str) -> User | None:
    return session.scalars(select(User).where(User.name == name)).one_or_none()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def remove_user(session: Session, name: str) -> bool:
    """Delete a curator; False when there was no such user."""
    user = find_user(session, name)
    if user is None:
        return False
    session.delete(user)
    return True


def set_password_hash(session: Session, name: str, password_hash: str) -> None:
    """Replace a stored hash (after argon2 parameters changed and the hash was upgraded)."""
    user = find_user(session, name)
    if user is None:
        raise UserError(f"no user {name!r}")
    user.password_hash = password_hash


def change_password(session: Session, name: str, password_hash: str) -> None:
    """Set a new hash and void every session issued under the old password."""
    user = find_user(session, name)
    if user is None:
        raise UserError(f"no user {name!r}; see `clusterwatch user list`")
    user.password_hash = password_hash
    user.session_version += 1


def revoke_sessions(session: Session, name: str) -> None:
    """Void every session cookie of `name` (logout logs out every copy, everywhere)."""
    user = find_user(session, name)
    if user is not None:
        user.session_version += 1


def set_role(session: Session, name: str, role: Role) -> None:
    """Give `name` another role; their open sessions follow at their next request."""
    user = find_user(session, name)
    if user is None:
        raise UserError(f"no user {name!r}; see `clusterwatch user list`")
    user.role = role.value
