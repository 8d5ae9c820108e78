"""Who may do what in the web UI: viewers read, curators also act, admins also manage accounts.

A view that changes something is wrapped in `requires(Role.CURATOR)` (or ADMIN): the server
refuses with 403 whatever the page showed. Templates read `may_curate` to hide the forms a
viewer cannot use, so nobody is offered a button that will be refused.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, abort, g

from clusterwatch.db.store.users import Role

View = TypeVar("View", bound=Callable[..., Any])


def current_role() -> Role:
    role = getattr(g, "role", None)
    return Role(role) if role in set(Role) else Role.VIEWER


def requires(needed: Role) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_role().allows(needed):
                abort(403, description=f"This needs the {needed.value} role.")
            return view(*args, **kwargs)

        return cast(View, guarded)

    return decorate


def init_roles(app: Flask) -> None:
    @app.context_processor
    def role_flags() -> dict[str, bool]:
        role = current_role()
        return {"may_curate": role.allows(Role.CURATOR), "is_admin": role.allows(Role.ADMIN)}
