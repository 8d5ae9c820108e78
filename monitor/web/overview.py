"""The overview page: the landscape now against 2016, statuses over time, sectors, prefectures."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from clusterwatch.monitor.web.charts import STATUS_ORDER, stacked_bars, stacked_columns
from clusterwatch.monitor.web.context import now, sessions
from clusterwatch.monitor.web.queries.overview import OverTimeCache, load_overview

bp = Blueprint("overview", __name__)
CACHE_KEY = "clusterwatch_over_time"


def _cache() -> OverTimeCache:
    """This app's cache of the statuses-over-time chart (one per app, never shared)."""
    cache = current_app.extensions.setdefault(CACHE_KEY, OverTimeCache())
    assert isinstance(cache, OverTimeCache)
    return cache


@bp.route("/")
def overview() -> str:
    data = load_overview(sessions(), now(), _cache())
    return render_template(
        "overview.html",
        data=data,
        statuses=STATUS_ORDER,
        time_chart=stacked_columns(data.over_time),
        sector_chart=stacked_bars([(g.name, g.counts) for g in data.by_sector]),
        prefecture_chart=stacked_bars([(g.name, g.counts) for g in data.by_prefecture]),
    )
