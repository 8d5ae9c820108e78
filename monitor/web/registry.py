"""Curators change the registry from the web UI: add a cluster, edit it, retire and restore it.

The same functions as `clusterwatch cluster ...` (monitor.registry), so the checks, the rule that
a curator's field wins over later seeds imports, and the audit trail are the same. A refused form
is shown again with what was typed and the reason; nothing is written.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from clusterwatch.crawler.seeds import SECTORS
from clusterwatch.db.models import Cluster
from clusterwatch.db.store.users import Role
from clusterwatch.monitor.registry import (
    EDITABLE,
    RegistryError,
    add_cluster,
    edit_cluster,
    restore_cluster,
    retire_cluster,
)
from clusterwatch.monitor.web.context import now, sessions
from clusterwatch.monitor.web.roles import requires

bp = Blueprint("registry", __name__, url_prefix="/registry")
MAX_FIELD_CHARS = 2000  # a name or a source line, never a document
MAX_URLS = 20


def form_values(form: Any) -> dict[str, Any]:
    """The cluster fields typed into the form; URLs one a line, empty fields left out."""
    values: dict[str, Any] = {}
    for name in EDITABLE:
        raw = str(form.get(name, ""))[:MAX_FIELD_CHARS]
        if name == "urls":
            urls = [line.strip() for line in raw.splitlines() if line.strip()]
            values[name] = urls[:MAX_URLS]
        else:
            values[name] = raw.strip() or None
    return values


def _form(cluster_id: str, values: dict[str, Any], **extra: Any) -> str:
    return render_template(
        "cluster_form.html", cluster_id=cluster_id, values=values, sectors=SECTORS, **extra
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.CURATOR)
def new() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return _form("", {})
    cluster_id = request.form.get("id", "").strip()[:MAX_FIELD_CHARS]
    values = form_values(request.form)
    try:
        add_cluster(sessions(), cluster_id, values, g.user, now(), request.form.get("note"))
    except RegistryError as exc:
        return _form(cluster_id, values, error=str(exc)), 400
    flash(f"Cluster {cluster_id} added; it is crawled from the next run on.", "info")
    return redirect(url_for("clusters.cluster", cluster_id=cluster_id))


@bp.route("/<cluster_id>/edit", methods=["GET", "POST"])
@requires(Role.CURATOR)
def edit(cluster_id: str) -> Response | str | tuple[str, int]:
    with sessions()() as db:
        cluster = db.get(Cluster, cluster_id)
        if cluster is None:
            abort(404)
        current = {name: getattr(cluster, name) for name in EDITABLE}
    if request.method == "GET":
        return _form(cluster_id, current, editing=True)
    values = form_values(request.form)
    changes = {name: value for name, value in values.items() if value != current[name]}
    try:
        changed = edit_cluster(
            sessions(), cluster_id, changes, g.user, now(), request.form.get("note")
        )
    except RegistryError as exc:
        return _form(cluster_id, values, editing=True, error=str(exc)), 400
    flash(f"Changed {', '.join(changed)}." if changed else "Nothing changed.", "info")
    return redirect(url_for("clusters.cluster", cluster_id=cluster_id, _anchor="registry"))


@bp.route("/<cluster_id>/retire", methods=["POST"])
@requires(Role.CURATOR)
def retire(cluster_id: str) -> Response:
    return _lifecycle(cluster_id, retire_cluster, "retired: no longer crawled, history kept")


@bp.route("/<cluster_id>/restore", methods=["POST"])
@requires(Role.CURATOR)
def restore(cluster_id: str) -> Response:
    return _lifecycle(cluster_id, restore_cluster, "restored: crawled again from the next run on")


def _lifecycle(cluster_id: str, action: Any, done: str) -> Response:
    try:
        action(sessions(), cluster_id, g.user, now(), request.form.get("note"))
    except RegistryError as exc:
        flash(str(exc), "error")
    else:
        flash(f"{cluster_id} {done}.", "info")
    return redirect(url_for("clusters.cluster", cluster_id=cluster_id, _anchor="registry"))
