"""Jinja filters shared by the templates: crawled URLs made safe to link, dates, labels, and
failures as readable sentences (monitor.reasons) with the technical detail apart.

Crawled pages are attacker-controlled. Autoescaping handles text; `http_url` handles links: a
crawled URL becomes an href only when it is http or https (never javascript:, data: or a
relative path), and templates add rel="noopener noreferrer nofollow" to every such link.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from clusterwatch.monitor.reasons import Reason, evidence_reason, site_reason, status_reason
from clusterwatch.monitor.web.context import web_context

STATUS_LABELS = {
    "active": "Active",
    "dormant": "Dormant",
    "unreachable": "Unreachable",
    "parked": "Parked",
    "unknown": "Unknown",
}


def http_url(value: Any) -> str | None:
    """`value` when it is an absolute http(s) URL with a host, else None."""
    if not isinstance(value, str):
        return None
    candidate = value.strip()
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return candidate
    return None


def when(value: datetime | date | str | None, with_time: bool = True) -> str:
    """A date or UTC time as curators read it: 2026-11-25 03:00 UTC; '—' when missing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC") if with_time else value.strftime("%Y-%m-%d")
    return value.isoformat()


def label(value: Any) -> str:
    """A stored code (became_dormant, eu_recent) as words: 'became dormant', 'eu recent'."""
    if value is None:
        return "—"
    text = str(value)
    return STATUS_LABELS.get(text, text.replace("_", " "))


def percent(value: Any) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{value * 100:.0f} %"


def site_why(result: Any) -> Reason:
    """A site_results row's failure as a sentence and its cleaned detail (monitor.reasons)."""
    timeout = web_context().settings.download_timeout
    return site_reason(result.outcome, result.http_status, result.error, timeout=timeout)


def status_why(text: str | None) -> Reason:
    return status_reason(text, timeout=web_context().settings.download_timeout)


def evidence_why(kind: str | None, text: str | None) -> Reason:
    """A flag's evidence text as shown; only failure evidence changes (FAILURE_EVIDENCE)."""
    timeout = web_context().settings.download_timeout
    return evidence_reason(kind or "", text, timeout=timeout)


def init_filters(app: Flask) -> None:
    app.jinja_env.filters.update(http_url=http_url, when=when, label=label, percent=percent)
    app.jinja_env.globals.update(
        site_why=site_why, status_why=status_why, evidence_why=evidence_why
    )
