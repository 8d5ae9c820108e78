"""A line diff between two snapshots' extracted text, as data for the template to escape.

difflib's unified diff, not HtmlDiff: HtmlDiff writes its own markup and inline styles, while
here every line stays a plain string that Jinja autoescapes (crawled text can hold markup).
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass

CONTEXT_LINES = 2
MAX_DIFF_LINES = 2_000  # beyond this the page says the diff was cut, rather than hang


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add" | "remove" | "context" | "hunk"
    text: str


@dataclass(frozen=True)
class TextDiff:
    lines: list[DiffLine]
    truncated: bool

    @property
    def identical(self) -> bool:
        return not self.lines


_KINDS = {"+": "add", "-": "remove", " ": "context", "@": "hunk"}


def diff_texts(older: str, newer: str) -> TextDiff:
    raw = difflib.unified_diff(older.splitlines(), newer.splitlines(), lineterm="", n=CONTEXT_LINES)
    lines: list[DiffLine] = []
    for line in itertools.islice(raw, 2, None):  # skip the ---/+++ file header
        if len(lines) >= MAX_DIFF_LINES:
            return TextDiff(lines, truncated=True)
        lines.append(DiffLine(_KINDS.get(line[:1], "context"), line[1:]))
    return TextDiff(lines, truncated=False)
