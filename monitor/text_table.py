"""Plain aligned text tables for the terminal, safe for hostile crawled strings.

Crawled text may carry ANSI escape sequences or control characters that would move the cursor,
recolour or clear a curator's terminal: `clean()` removes them before anything is printed.
Column widths count East Asian wide characters (Japanese) as two cells, so columns line up.
A table fits the terminal (`COLUMNS`, else the terminal's width, else DEFAULT_WIDTH): one column
named by `wrap` (the "why" or the evidence) gives up its width and wraps onto further lines; the
other cells are cut at MAX_CELL_CELLS with an ellipsis.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Sequence

# ESC [ ... final byte (CSI), ESC ] ... BEL/ST (OSC), and two-character escapes
ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.")
MAX_CELL_CELLS = 60  # a longer cell is cut with an ellipsis so a row fits a wide terminal
ELLIPSIS = "…"
COLUMN_GAP = "  "
DEFAULT_WIDTH = 100  # when there is no terminal and no COLUMNS
MIN_WRAP_CELLS = 16  # a wrapped column keeps at least this width
MIN_CUT_CELLS = 6  # other columns are cut (with an ellipsis) down to this width to make room


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


def terminal_width() -> int:
    """COLUMNS if set, else the terminal's width, else DEFAULT_WIDTH."""
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def wrap_cells(text: str, limit: int) -> list[str]:
    """`text` in lines of at most `limit` cells, broken at spaces where possible."""
    lines: list[str] = []
    current, used = "", 0
    for word in re.split(r"(?<= )", text):  # words keep their trailing space
        width = cell_width(word)
        if used + width > limit and current:
            lines.append(current.rstrip())
            current, used = "", 0
        while cell_width(word) > limit:  # a word longer than a line: cut it
            head = _fit(word, limit + 1)[:-1]
            lines.append(head)
            word = word[len(head) :]
        current, used = current + word, used + cell_width(word)
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    wrap: str | None = None,
    width: int | None = None,
) -> str:
    """Headers and rows as aligned columns that fit `width` (default: the terminal's).

    Every cell is cleaned; cells are cut to MAX_CELL_CELLS except in the `wrap` column, which
    takes the width the others leave and continues on further lines.
    """
    heads = [clean(h) for h in headers]
    target = heads.index(wrap) if wrap in heads else None
    cells = [
        [
            clean(value) if index == target else _fit(clean(value), MAX_CELL_CELLS)
            for index, value in enumerate(row)
        ]
        for row in rows
    ]
    values = [max((cell_width(row[i]) for row in cells), default=0) for i in range(len(heads))]
    widths = [max(cell_width(h), v) for h, v in zip(heads, values, strict=True)]
    if target is not None:
        widths = _fit_widths(widths, values, target, width or terminal_width())
        heads = [_fit(h, w) for h, w in zip(heads, widths, strict=True)]
        cells = [
            [v if i == target else _fit(v, widths[i]) for i, v in enumerate(row)] for row in cells
        ]
    lines = [_line(heads, widths), _line(["-" * w for w in widths], widths)]
    for row in cells:
        lines += _row_lines(row, widths, target)
    return "\n".join(lines)


def _fit_widths(widths: list[int], values: list[int], target: int, total: int) -> list[int]:
    """Widths that add up to `total`: the wrapped column shrinks to MIN_WRAP_CELLS first, then
    headers wider than their column's values are cut, then the widest columns, none below
    MIN_CUT_CELLS. `values` holds each column's widest value. The first column names the row
    (a cluster id, a flag id) and is never cut: a shortened id is one nobody can type."""
    gaps = len(COLUMN_GAP) * (len(widths) - 1)
    fitted = list(widths)
    others = sum(w for i, w in enumerate(fitted) if i != target)
    fitted[target] = max(min(fitted[target], total - others - gaps), MIN_WRAP_CELLS)
    for index in sorted(range(len(fitted)), key=lambda i: values[i] - fitted[i]):
        if index not in (0, target) and sum(fitted) + gaps > total:  # headers before values
            over = sum(fitted) + gaps - total
            floor = max(values[index], min(MIN_CUT_CELLS, fitted[index]))
            fitted[index] = max(fitted[index] - over, floor)
    while sum(fitted) + gaps > total:
        cuttable = [i for i in range(1, len(fitted)) if i != target]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: fitted[i])
        if fitted[widest] <= MIN_CUT_CELLS:
            break
        fitted[widest] -= 1
    return fitted


def _row_lines(row: Sequence[str], widths: Sequence[int], target: int | None) -> list[str]:
    if target is None:
        return [_line(row, widths)]
    pieces = wrap_cells(row[target], widths[target])
    first = [*row[:target], pieces[0], *row[target + 1 :]]
    blank = ["" for _ in row]
    more = [[*blank[:target], piece, *blank[target + 1 :]] for piece in pieces[1:]]
    return [_line(values, widths) for values in [first, *more]]


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    padded = [v + " " * (w - cell_width(v)) for v, w in zip(values, widths, strict=True)]
    return COLUMN_GAP.join(padded).rstrip()
