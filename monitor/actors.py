"""Who did it: the name the audit trail records for a change made from the command line.

The web UI records the logged-in account. On the command line there is no login, so a change
is recorded under the operating-system user (`alice (shell)`), or under `--by NAME`, which must
name an existing account: a made-up name in the trail would look like a curator's decision.
"""

from __future__ import annotations

import getpass

from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.store.users import find_user

SHELL_SUFFIX = " (shell)"


class UnknownActor(ValueError):
    """`--by` names no account."""


def shell_actor() -> str:
    """The operating-system user who ran the command, marked as such (`alice (shell)`)."""
    return f"{os_user()}{SHELL_SUFFIX}"


def cli_actor(sessions: sessionmaker[Session], by: str | None) -> str:
    """The account named by `by` (checked), else the OS user marked as a shell user."""
    if by is None:
        return shell_actor()
    with sessions() as session:
        if find_user(session, by.strip()) is None:
            raise UnknownActor(
                f"--by {by!r} names no account; see `clusterwatch user list`, or leave --by out"
                " to record your system user name"
            )
    return by.strip()


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers) and no LOGNAME
        return "unknown"
