"""The report as text, CSV and JSON, and the per-cluster columns every format shares.

Crawled strings are hostile: text output goes through monitor.text_table (escapes stripped), and
CSV cells lose control characters and, when a spreadsheet would run them as a formula (starting
with = + - @), get a leading apostrophe, as in the xlsx (monitor.report_xlsx).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from clusterwatch.monitor.clusters_view import ClusterRow
from clusterwatch.monitor.report import SCREENING_2016_TOTAL, Report
from clusterwatch.monitor.text_table import clean, render_table

FORMULA_PREFIXES = ("=", "+", "-", "@")  # what Excel and LibreOffice evaluate


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet shows as text, never runs: control characters and escapes removed
    (openpyxl refuses them, terminals obey them), a leading apostrophe before a formula."""
    if not isinstance(value, str):
        return value
    text = clean(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _newest_signal(row: ClusterRow, key: str) -> Any:
    return row.eu_signals[0].get(key) if row.eu_signals else None


def _evidence(row: ClusterRow, key: str) -> Any:
    return (row.last_update_evidence or {}).get(key)


# (header, value of one cluster, column width in the xlsx)
CLUSTER_COLUMNS: tuple[tuple[str, Callable[[ClusterRow], Any], int], ...] = (
    ("id", lambda r: r.id, 18),
    ("name", lambda r: r.name, 36),
    ("sector", lambda r: r.sector, 18),
    ("status", lambda r: r.status, 12),
    ("status reason", lambda r: r.why.sentence, 40),
    ("last update", lambda r: r.last_update.isoformat() if r.last_update else None, 12),
    ("last update URL", lambda r: _evidence(r, "url"), 40),
    ("last update evidence", lambda r: _evidence(r, "text"), 50),
    ("main language", lambda r: r.main_language, 10),
    ("English site", lambda r: r.english_site, 12),
    ("internationalisation", lambda r: r.internationalisation, 20),
    ("EU signals", lambda r: len(r.eu_signals), 10),
    ("newest EU signal date", lambda r: _newest_signal(r, "date"), 12),
    ("newest EU signal URL", lambda r: _newest_signal(r, "url"), 40),
    ("newest EU signal", lambda r: _newest_signal(r, "text"), 60),
    ("moved to", lambda r: r.moved_to, 30),
    ("failing streak", lambda r: r.failing_streak, 10),
    ("last crawl", lambda r: r.last_crawl.isoformat() if r.last_crawl else None, 20),
    ("open flags", lambda r: r.open_flags, 10),
    ("overridden", lambda r: ", ".join(sorted(r.overrides)) or None, 20),
)
TEXT_COLUMNS = (
    "id",
    "sector",
    "status",
    "last update",
    "English site",
    "internationalisation",
    "newest EU signal date",
    "last update URL",
    "overridden",
)
SUMMARY_HEADERS = ("section", "category", "label", "now", "2016")


def cluster_values(row: ClusterRow) -> list[Any]:
    return [getter(row) for _, getter, _ in CLUSTER_COLUMNS]


def summary_rows(report: Report) -> list[list[Any]]:
    """One row per count line and a total per section: section, key, label, now, 2016."""
    rows: list[list[Any]] = []
    for section in report.sections:
        for line in section.lines:
            rows.append([section.title, line.key, line.label, line.now, line.in_2016])
        rows.append([section.title, "total", "Total", section.total_now, section.total_2016])
    return rows


def render_text(report: Report) -> str:
    day = report.generated_at.date().isoformat()
    parts = [
        f"The 2016 screening, now ({day}): {len(report.clusters)} clusters"
        f" (2016: {SCREENING_2016_TOTAL}, EU-Japan Centre screening as in the 2017 ECCP"
        " briefing, section 3.2)",
    ]
    for section in report.sections:
        lines = [[line.label, line.now, _or_dash(line.in_2016)] for line in section.lines]
        lines.append(["Total", section.total_now, section.total_2016])
        parts += ["", section.title, render_table(["", "now", "2016"], lines)]
    index = [header for header, _, _ in CLUSTER_COLUMNS]
    picks = [index.index(name) for name in TEXT_COLUMNS]
    rows = [[cluster_values(row)[i] for i in picks] for row in report.clusters]
    parts += ["", "Clusters", render_table(TEXT_COLUMNS, [[_or_dash(v) for v in r] for r in rows])]
    return "\n".join(parts) + "\n"


def _or_dash(value: Any) -> Any:
    return "-" if value is None else value


def render_csv(report: Report) -> str:
    """The summary block, an empty line, then one row per cluster; formula cells escaped."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SUMMARY_HEADERS)
    writer.writerows([[spreadsheet_safe(v) for v in row] for row in summary_rows(report)])
    writer.writerow([])
    writer.writerow([header for header, _, _ in CLUSTER_COLUMNS])
    for row in report.clusters:
        writer.writerow([spreadsheet_safe(v) for v in cluster_values(row)])
    return out.getvalue()


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
