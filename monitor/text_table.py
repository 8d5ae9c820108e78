"""Plain aligned text tables for the terminal, safe for hostile crawled strings.

Crawled text may carry ANSI escape sequences or control characters that would move the cursor,
recolour or clear a curator's terminal: `clean()` removes them before anything is printed.
Column widths count East Asian wide characters (Japanese) as two cells, so columns line up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# ESC [ ... final byte (CSI), ESC ] ... BEL/ST (OSC), and two-character escapes
ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.")
MAX_CELL_CELLS = 60  # a longer cell is cut with an ellipsis so a row fits a wide terminal
ELLIPSIS = "…"
COLUMN_GAP = "  "


def clean(value: object) -> str:
    """`value` as one line of printable text: escapes and control characters removed."""
    text = ANSI_ESCAPE.sub("", "" if value is None else str(value))
    return "".join(
        " " if char in "\t\n\r" else char
        for char in text
        if char in "\t\n\r" or unicodedata.category(char)[0] != "C"
    )


def cell_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _fit(text: str, limit: int) -> str:
    if cell_width(text) <= limit:
        return text
    out, used = [], 0
    for char in text:
        width = cell_width(char)
        if used + width > limit - 1:
            break
        out.append(char)
        used += width
    return "".join(out) + ELLIPSIS


def render_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Headers and rows as aligned columns, every cell cleaned and cut to MAX_CELL_CELLS."""
    cells = [[_fit(clean(value), MAX_CELL_CELLS) for value in row] for row in rows]
    heads = [clean(h) for h in headers]
    widths = [cell_width(h) for h in heads]
    for row in cells:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], cell_width(value))
    lines = [_line(heads, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(row, widths) for row in cells]
    return "\n".join(lines)


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    padded = [v + " " * (w - cell_width(v)) for v, w in zip(values, widths, strict=True)]
    return COLUMN_GAP.join(padded).rstrip()
