"""The runs page: every crawl run with its counts and state, and each run's failed sites."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from clusterwatch.monitor.web.context import sessions
from clusterwatch.monitor.web.queries.runs import failed_sites, find_run, list_runs

bp = Blueprint("runs", __name__, url_prefix="/runs")


@bp.route("")
def runs() -> str:
    with sessions()() as db:
        return render_template("runs.html", runs=list_runs(db))


@bp.route("/<id:run_id>")
def run(run_id: int) -> str:
    with sessions()() as db:
        found = find_run(db, run_id)
        if found is None:
            abort(404)
        return render_template("run.html", run=found, failures=failed_sites(db, run_id))
