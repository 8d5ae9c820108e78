"""The app factory: one Flask app wired from the settings and a session factory.

`create_app(settings, sessions)` registers the blueprints (one per area: overview, review queue,
clusters, runs, export, plus auth), CSRF protection on every POST (flask-wtf's CSRFProtect),
the security headers and the Jinja filters. Cookies: HttpOnly and SameSite=Lax always; Secure
when `settings.base_url` is https (CLUSTERWATCH_BASE_URL), since a cookie marked Secure is never
sent back over plain http to 127.0.0.1. `config` overrides Flask settings for tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException

from clusterwatch.monitor.settings import Settings
from clusterwatch.monitor.web import (
    auth,
    candidates,
    clusters,
    exports,
    filters,
    overview,
    queue,
    registry,
    runs,
)
from clusterwatch.monitor.web.context import WebContext, install
from clusterwatch.monitor.web.headers import init_headers
from clusterwatch.monitor.web.params import DatabaseIdConverter
from clusterwatch.monitor.web.roles import init_roles
from clusterwatch.monitor.web.secret import resolve_secret_key
from clusterwatch.monitor.web.throttle import LoginThrottle

SESSION_LIFETIME = timedelta(hours=12)  # one working day; then log in again


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    clock: Callable[[], datetime] = _utc_now,
    config: Mapping[str, Any] | None = None,
) -> Flask:
    """The curators' web app over the database behind `sessions`."""
    app = Flask(__name__)
    app.url_map.converters["id"] = DatabaseIdConverter
    engine = sessions.kw["bind"]
    database_url = engine.url.render_as_string(hide_password=False)
    app.config.update(
        SECRET_KEY=resolve_secret_key(settings.secret_key, database_url),
        SESSION_COOKIE_NAME="clusterwatch_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        MAX_CONTENT_LENGTH=64 * 1024,  # forms only: notes, never uploads
    )
    app.config.update(config or {})
    install(app, WebContext(settings=settings, sessions=sessions, clock=clock))
    CSRFProtect(app)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(400, _refused)
    app.register_error_handler(403, _refused)
    app.register_error_handler(429, _refused)
    init_headers(app)
    auth.init_auth(app, LoginThrottle(clock))
    filters.init_filters(app)
    init_roles(app)
    for blueprint in (
        overview.bp,
        queue.bp,
        clusters.bp,
        registry.bp,
        candidates.bp,
        runs.bp,
        exports.bp,
    ):
        app.register_blueprint(blueprint)
    return app


def _refused(error: HTTPException) -> tuple[str, int]:
    return render_template("error.html", message=error.description), error.code or 400


def _csrf_refused(error: CSRFError) -> tuple[str, int]:
    message = f"The form was refused ({error.description}). Reload the page and try again."
    return render_template("error.html", message=message), 400
