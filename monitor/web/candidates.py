"""The discovery queue in the web UI: organisations the crawled sites link to, with the pages and
words that named them; curators accept one (it becomes a cluster, crawled from the next night on)
or reject it (out of the queue until a new page names it). The same functions as
`clusterwatch candidates accept|reject` (monitor.candidates), so the checks and the audit trail
are the same.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from clusterwatch.crawler.seeds import SECTORS
from clusterwatch.db.store.users import Role
from clusterwatch.monitor.candidates import accept, candidate_rows, queue_floor, reject
from clusterwatch.monitor.registry import RegistryError
from clusterwatch.monitor.web.context import now, sessions
from clusterwatch.monitor.web.roles import requires

bp = Blueprint("candidates", __name__, url_prefix="/candidates")
MAX_FIELD_CHARS = 200


@bp.route("")
def queue() -> str:
    rows = candidate_rows(sessions(), "open", queue_floor())
    return render_template("candidates.html", rows=rows, sectors=SECTORS)


@bp.route("/<id:candidate_id>/accept", methods=["POST"])
@requires(Role.CURATOR)
def accept_view(candidate_id: int) -> Response:
    new_id = request.form.get("cluster_id", "").strip()[:MAX_FIELD_CHARS] or None
    sector = request.form.get("sector", "").strip()[:MAX_FIELD_CHARS] or None
    try:
        cluster_id = accept(sessions(), candidate_id, g.user, now(), new_id, sector)
    except RegistryError as exc:
        flash(f"Candidate {candidate_id}: {exc}", "error")
        return redirect(url_for("candidates.queue"))
    flash(f"Candidate {candidate_id} is now cluster {cluster_id}; crawled from the next run on.")
    return redirect(url_for("clusters.cluster", cluster_id=cluster_id))


@bp.route("/<id:candidate_id>/reject", methods=["POST"])
@requires(Role.CURATOR)
def reject_view(candidate_id: int) -> Response:
    note = request.form.get("note", "").strip()[:4000] or None
    try:
        reject(sessions(), candidate_id, g.user, now(), note)
    except RegistryError as exc:
        flash(f"Candidate {candidate_id}: {exc}", "error")
    else:
        flash(f"Candidate {candidate_id} rejected.", "info")
    return redirect(url_for("candidates.queue"))
