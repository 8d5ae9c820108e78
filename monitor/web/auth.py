"""Logging in and out, changing one's password, and the rule that every page needs a curator.

The session cookie holds the curator's name and the account's session version (signed,
HttpOnly, SameSite=Lax; Secure when the app is served over https, see app.py). Each request
checks the account still exists and the version still matches: `clusterwatch user remove`,
logout and a password change void every copy of the cookie at once. Login clears the old session
(no fixation) and only follows `next` to a path on this site (no open redirect, no header
injection). Wrong passwords slow further attempts on that name (throttle.py) and, per client
address, Flask-Limiter caps login attempts (LOGIN_LIMIT_PER_ADDRESS).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from clusterwatch.db.store.users import (
    change_password,
    find_user,
    revoke_sessions,
    set_password_hash,
)
from clusterwatch.monitor.web.context import now, sessions
from clusterwatch.monitor.web.passwords import (
    MIN_PASSWORD_LENGTH,
    HashingBusy,
    hash_password,
    needs_rehash,
    verify_password,
)
from clusterwatch.monitor.web.throttle import LoginThrottle

# Per client address, whatever the names tried: a curator never comes near it, a script does.
LOGIN_LIMIT_PER_ADDRESS = "20 per minute; 200 per hour"
MAX_NEXT_LENGTH = 2000

PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})

bp = Blueprint("auth", __name__)


def _throttle() -> LoginThrottle:
    throttle = current_app.extensions["clusterwatch_throttle"]
    assert isinstance(throttle, LoginThrottle)
    return throttle


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None.

    Refused: a scheme or host, `//` or a backslash (browsers read both as another host), and any
    whitespace or control character (a tab in `/%09/evil.example` is dropped by browsers, which
    then see `//evil.example`; CR/LF would split the Location header).
    """
    if not target or len(target) > MAX_NEXT_LENGTH or not target.startswith("/"):
        return None
    if "\\" in target or target.startswith("//"):
        return None
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return render_template("login.html", next=safe_next(request.args.get("next")) or "")
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    throttle = _throttle()
    wait = throttle.wait(name)
    if wait:
        seconds = max(1, round(wait.total_seconds()))
        error = f"Too many failed attempts for this name. Try again in {seconds} seconds."
        return render_template("login.html", error=error, name=name), 429
    try:
        with sessions().begin() as db:
            account = find_user(db, name)
            stored = account.password_hash if account else None
            if account is None or not verify_password(stored, password):
                throttle.failed(name)
                error = "Wrong name or password."
                return render_template("login.html", error=error, name=name), 401
            if needs_rehash(account.password_hash):
                set_password_hash(db, name, hash_password(password))
            version = account.session_version
    except HashingBusy:
        error = "Too many logins at once. Try again in a moment."
        return render_template("login.html", error=error, name=name), 503
    throttle.succeeded(name)
    session.clear()
    session["user"] = name
    session["version"] = version
    session["login_at"] = now().isoformat()
    session.permanent = True
    return redirect(safe_next(request.form.get("next")) or url_for("overview.overview"))


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    name = session.get("user")
    if isinstance(name, str):
        with sessions().begin() as db:
            revoke_sessions(db, name)
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def password() -> Response | str | tuple[str, int]:
    """Change one's own password; every other session of the account is logged out."""
    if request.method == "GET":
        return render_template("password.html")
    current = request.form.get("current", "")
    new = request.form.get("new", "")
    if new != request.form.get("repeat", ""):
        return render_template("password.html", error="The new passwords differ."), 400
    if len(new) < MIN_PASSWORD_LENGTH:
        error = f"The new password needs at least {MIN_PASSWORD_LENGTH} characters."
        return render_template("password.html", error=error), 400
    try:
        with sessions().begin() as db:
            account = find_user(db, g.user)
            if account is None or not verify_password(account.password_hash, current):
                return render_template("password.html", error="Wrong current password."), 401
            change_password(db, g.user, hash_password(new))
            session["version"] = account.session_version
    except HashingBusy:
        error = "Too many logins at once. Try again in a moment."
        return render_template("password.html", error=error), 503
    return render_template("password.html", done=True)


def require_login() -> Response | None:
    """before_request hook: anonymous visitors go to /login; vanished accounts are logged out."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    name = session.get("user")
    if isinstance(name, str):
        with sessions()() as db:
            account = find_user(db, name)
            if account is not None and account.session_version == session.get("version"):
                g.user = name
                g.role = account.role
                return None
        session.clear()
    if request.method != "GET":
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_auth(app: Flask, throttle: LoginThrottle) -> None:
    app.extensions["clusterwatch_throttle"] = throttle
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")
    limiter.limit(LOGIN_LIMIT_PER_ADDRESS, methods=["POST"])(bp)  # login, logout, password
    app.register_blueprint(bp)
    app.before_request(require_login)
