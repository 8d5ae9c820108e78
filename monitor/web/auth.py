"""Logging in and out, and the rule that every page but /login and /static needs a curator.

The session cookie holds only the curator's name (signed, HttpOnly, SameSite=Lax; Secure when
the app is served over https, see app.py). Each request checks the name still exists, so
`clusterwatch user remove` takes effect at once. Login clears the old session (no fixation)
and only follows `next` to a path on this site (no open redirect).
"""

from __future__ import annotations

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
from werkzeug.wrappers import Response

from clusterwatch.db.store.users import find_user, set_password_hash
from clusterwatch.monitor.web.context import now, sessions
from clusterwatch.monitor.web.passwords import hash_password, needs_rehash, verify_password
from clusterwatch.monitor.web.throttle import LoginThrottle

PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})

bp = Blueprint("auth", __name__)


def _throttle() -> LoginThrottle:
    throttle = current_app.extensions["clusterwatch_throttle"]
    assert isinstance(throttle, LoginThrottle)
    return throttle


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("overview.overview")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    throttle = _throttle()
    if throttle.blocked(address, name):
        error = "Too many failed attempts. Wait 15 minutes, then try again."
        return render_template("login.html", error=error, name=name), 429
    with sessions().begin() as db:
        account = find_user(db, name)
        stored = account.password_hash if account else None
        if not verify_password(stored, password):
            throttle.failed(address, name)
            error = "Wrong name or password."
            return render_template("login.html", error=error, name=name), 401
        assert stored is not None
        if needs_rehash(stored):
            set_password_hash(db, name, hash_password(password))
    throttle.succeeded(address, name)
    session.clear()
    session["user"] = name
    session["login_at"] = now().isoformat()
    session.permanent = True
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    session.clear()
    return redirect(url_for("auth.login"))


def require_login() -> Response | None:
    """before_request hook: anonymous visitors go to /login; vanished accounts are logged out."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    name = session.get("user")
    if isinstance(name, str):
        with sessions()() as db:
            if find_user(db, name) is not None:
                g.user = name
                return None
        session.clear()
    if request.method != "GET":
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_auth(app: Flask, throttle: LoginThrottle) -> None:
    app.extensions["clusterwatch_throttle"] = throttle
    app.register_blueprint(bp)
    app.before_request(require_login)
