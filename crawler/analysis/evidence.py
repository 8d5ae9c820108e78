"""The evidence every analysis conclusion carries: where it was seen and what was read there."""

from __future__ import annotations

from dataclasses import dataclass

# Longest snippet kept as evidence; enough for a curator to recognise the passage.
MAX_SNIPPET_CHARS = 200


@dataclass(frozen=True)
class Evidence:
    """A URL and the passage (snippet) that supports a conclusion."""

    url: str
    text: str


def snippet(text: str, limit: int = MAX_SNIPPET_CHARS) -> str:
    """Collapse whitespace and cut ``text`` to ``limit`` characters for use as evidence."""
    collapsed = " ".join(text.split())
    return collapsed if len(collapsed) <= limit else collapsed[: limit - 1] + "…"
