"""Export: the screening (monitor.report) as CSV and as the XLSX workbook analysts open in Excel.

The files are rendered by the report's own renderers, so a download is exactly what
`clusterwatch report --format csv|xlsx` writes (CSV with a UTF-8 BOM so Excel reads Japanese).
"""

from __future__ import annotations

import io

from flask import Blueprint, Response, render_template

from clusterwatch.monitor.report import build_report
from clusterwatch.monitor.report_formats import render_csv
from clusterwatch.monitor.report_xlsx import workbook
from clusterwatch.monitor.web.context import now, sessions

bp = Blueprint("exports", __name__, url_prefix="/export")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(extension: str) -> str:
    return f"clusterwatch-screening-{now():%Y-%m-%d}.{extension}"


def _download(body: bytes, mimetype: str, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(extension)}"'
    return response


@bp.route("")
def export() -> str:
    return render_template("export.html", today=now())


@bp.route("/screening.csv")
def screening_csv() -> Response:
    report = build_report(sessions(), now())
    return _download(render_csv(report).encode("utf-8-sig"), "text/csv", "csv")


@bp.route("/screening.xlsx")
def screening_xlsx() -> Response:
    buffer = io.BytesIO()
    workbook(build_report(sessions(), now())).save(buffer)
    return _download(buffer.getvalue(), XLSX_TYPE, "xlsx")
