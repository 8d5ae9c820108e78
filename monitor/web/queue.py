"""The review queue: open flags oldest first, filtered by kind and sector; confirm or dismiss.

Each flag has its own small form (decision button + optional note), so one click decides it.
The decision goes through monitor.review.review_flag, with the logged-in curator as reviewer;
the page then redirects back to the same filters (post/redirect/get, no resubmission on reload).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from clusterwatch.db.store.users import Role
from clusterwatch.monitor.review import ReviewError, review_flag, undo_review
from clusterwatch.monitor.web.context import now, sessions
from clusterwatch.monitor.web.params import int_arg
from clusterwatch.monitor.web.queries.queue import PAGE_SIZE, load_queue
from clusterwatch.monitor.web.roles import requires

bp = Blueprint("queue", __name__, url_prefix="/queue")
MAX_BULK = 200  # one page of the queue and more; a form never needs more


def _filters(source: dict[str, str]) -> dict[str, Any]:
    return {key: source[key] for key in ("kind", "sector") if source.get(key)}


@bp.route("")
def queue() -> str:
    filters = _filters(request.args.to_dict())
    offset = int_arg("offset", 0) or 0
    with sessions()() as db:
        data = load_queue(db, filters.get("kind"), filters.get("sector"), offset)
    return render_template(
        "queue.html",
        queue=data,
        filters=filters,
        offset=max(offset, 0),
        page_size=PAGE_SIZE,
    )


@bp.route("/<id:flag_id>/review", methods=["POST"])
@requires(Role.CURATOR)
def review(flag_id: int) -> Response:
    decision = request.form.get("decision", "")
    note = request.form.get("note")
    try:
        review_flag(sessions(), flag_id, decision, note, g.user, now())
    except ReviewError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Flag {flag_id} {decision}.", "info")
    back = _filters(request.form.to_dict())
    return redirect(url_for("queue.queue", **back))


@bp.route("/<id:flag_id>/undo", methods=["POST"])
@requires(Role.CURATOR)
def undo(flag_id: int) -> Response:
    """Reopen a reviewed flag (from the cluster page); the undone review stays in the trail."""
    try:
        flag = undo_review(sessions(), flag_id, request.form.get("note"), g.user, now())
    except ReviewError as exc:
        flash(str(exc), "error")
        return redirect(url_for("queue.queue"))
    flash(f"Flag {flag_id} is open again.", "info")
    return redirect(url_for("clusters.cluster", cluster_id=flag.cluster_id, _anchor="flags"))


@bp.route("/bulk", methods=["POST"])
@requires(Role.CURATOR)
def bulk() -> Response:
    """Confirm or dismiss every ticked flag with one note; each review is its own trail event."""
    decision = request.form.get("decision", "")
    note = request.form.get("note")
    ids = [int(raw) for raw in request.form.getlist("flag") if raw.isdigit() and len(raw) < 19]
    done, refused = 0, []
    for flag_id in ids[:MAX_BULK]:
        try:
            review_flag(sessions(), flag_id, decision, note, g.user, now())
            done += 1
        except ReviewError as exc:
            refused.append(str(exc))
    flash(f"{done} flag{'' if done == 1 else 's'} {decision or 'reviewed'}.", "info")
    for message in refused[:5]:
        flash(message, "error")
    return redirect(url_for("queue.queue", **_filters(request.form.to_dict())))
