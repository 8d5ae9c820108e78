"""Cluster pages: the index, one cluster's evidence and history, overrides, notes, page diffs.

Writes (overrides, notes) go through monitor.review with the logged-in curator's name.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from clusterwatch.db.store.users import Role
from clusterwatch.monitor.clusters_view import cluster_rows
from clusterwatch.monitor.review import (
    OVERRIDE_FIELDS,
    OVERRIDE_VALUES,
    ReviewError,
    clear_override,
    set_override,
)
from clusterwatch.monitor.review import add_note as review_add_note
from clusterwatch.monitor.web.charts import status_strip
from clusterwatch.monitor.web.context import now, sessions
from clusterwatch.monitor.web.params import int_arg
from clusterwatch.monitor.web.queries.cluster import load_cluster
from clusterwatch.monitor.web.queries.cluster_list import (
    SORT_FIELDS,
    ListQuery,
    facets,
    listings,
    select_listings,
)
from clusterwatch.monitor.web.queries.pages import (
    default_pair,
    pages_seen,
    snapshot_text,
    snapshots_of,
)
from clusterwatch.monitor.web.roles import requires
from clusterwatch.monitor.web.textdiff import diff_texts

bp = Blueprint("clusters", __name__, url_prefix="/clusters")


@bp.route("")
def index() -> str:
    query = ListQuery.from_args(request.args.to_dict())
    rows = cluster_rows(sessions(), now())
    with sessions()() as db:
        items = listings(db, rows)
    return render_template(
        "clusters.html",
        clusters=select_listings(items, query),
        total=len(items),
        facets=facets(items),
        query=query,
        sort_fields=SORT_FIELDS,
    )


@bp.route("/<cluster_id>")
def cluster(cluster_id: str) -> str:
    with sessions()() as db:
        page = load_cluster(db, cluster_id)
        if page is None:
            abort(404)
        return render_template(
            "cluster.html",
            page=page,
            pages=pages_seen(db, cluster_id),
            override_fields=OVERRIDE_FIELDS,
            override_values=OVERRIDE_VALUES,
            strip_chart=status_strip(
                [(p.started_at.strftime("%Y-%m-%d"), p.status) for p in page.history]
            ),
        )


@bp.route("/<cluster_id>/page")
def page_diff(cluster_id: str) -> str:
    url = request.args.get("url", "")
    with sessions()() as db:
        choices = snapshots_of(db, cluster_id, url)
        if not choices:
            abort(404)
        pair = default_pair(choices)
        older = int_arg("a", pair[0] if pair else None)
        newer = int_arg("b", pair[1] if pair else None)
        diff = None
        if older is not None and newer is not None:
            old_text = snapshot_text(db, cluster_id, older)
            new_text = snapshot_text(db, cluster_id, newer)
            if old_text is not None and new_text is not None:
                diff = diff_texts(old_text, new_text)
    return render_template(
        "page_diff.html",
        cluster_id=cluster_id,
        url=url,
        choices=choices,
        older=older,
        newer=newer,
        diff=diff,
    )


def _back(cluster_id: str, anchor: str) -> Response:
    return redirect(url_for("clusters.cluster", cluster_id=cluster_id, _anchor=anchor))


@bp.route("/<cluster_id>/overrides", methods=["POST"])
@requires(Role.CURATOR)
def override(cluster_id: str) -> Response:
    field = request.form.get("field", "")
    try:
        if request.form.get("action") == "clear":
            clear_override(sessions(), cluster_id, field, g.user, now())
            flash(f"Override of {field} lifted.", "info")
        else:
            value = request.form.get("value", "")
            note = request.form.get("note")
            set_override(sessions(), cluster_id, field, value, note, g.user, now())
            flash(f"{field} overridden: {value}.", "info")
    except ReviewError as exc:
        flash(str(exc), "error")
    return _back(cluster_id, "overrides")


@bp.route("/<cluster_id>/notes", methods=["POST"])
@requires(Role.CURATOR)
def note(cluster_id: str) -> Response:
    try:
        review_add_note(sessions(), cluster_id, request.form.get("text", ""), g.user, now())
    except ReviewError as exc:
        flash(str(exc), "error")
    else:
        flash("Note added.", "info")
    return _back(cluster_id, "notes")
