"""The report as the workbook analysts open in Excel: a summary sheet and a clusters sheet.

Header rows are styled and frozen, columns have widths, and every cell that Excel would run as a
formula gets a leading apostrophe (crawled text is hostile). `write_xlsx` writes to a temporary
file beside the target and renames it, so a failure never leaves half a workbook behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from clusterwatch.monitor.report import Report
from clusterwatch.monitor.report_formats import (
    CLUSTER_COLUMNS,
    SUMMARY_HEADERS,
    cluster_values,
    spreadsheet_safe,
    summary_rows,
)

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")  # dark blue, readable in print
SUMMARY_WIDTHS = (24, 18, 52, 8, 8)


def workbook(report: Report) -> Workbook:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    _fill(summary, SUMMARY_HEADERS, summary_rows(report), SUMMARY_WIDTHS)
    note = f"Generated {report.generated_at.isoformat()}; 2016: EU-Japan Centre, briefing 3.2"
    summary.cell(row=summary.max_row + 2, column=1, value=note)
    clusters = book.create_sheet("Clusters")
    rows = [cluster_values(row) for row in report.clusters]
    headers = [header for header, _, _ in CLUSTER_COLUMNS]
    _fill(clusters, headers, rows, [width for _, _, width in CLUSTER_COLUMNS])
    clusters.auto_filter.ref = clusters.dimensions
    return book


def _fill(
    sheet: Worksheet,
    headers: Any,
    rows: list[list[Any]],
    widths: Any,
) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        sheet.append([spreadsheet_safe(value) for value in row])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width


def write_xlsx(report: Report, target: Path) -> None:
    """Write the workbook to `target` atomically (temporary file, then rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        workbook(report).save(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
