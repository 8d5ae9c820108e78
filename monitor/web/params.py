"""Whole numbers from URLs and query strings, bounded to what the database can hold.

SQLite and PostgreSQL keep integers in 64 bits: a larger id or offset typed into a URL used to
reach the database and come back as a 500. Path ids go through the `id` converter (a larger or
negative value is simply no page: 404); query parameters through `int_arg` (400 with a message).
"""

from __future__ import annotations

from flask import abort, request
from werkzeug.routing import IntegerConverter, Map

DB_INT_MAX = 2**63 - 1  # the largest BIGINT, on both databases


class DatabaseIdConverter(IntegerConverter):
    """`<id:name>`: a non-negative integer that fits a database id, else no route matches (404)."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=0, max=DB_INT_MAX)


def int_arg(name: str, default: int | None, *, minimum: int = 0) -> int | None:
    """The query parameter `name` as an int in [minimum, DB_INT_MAX], or abort with 400."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.lstrip("-").isdigit() or len(raw) > 20:
        abort(400, description=f"{name} must be a whole number")
    value = int(raw)
    if not minimum <= value <= DB_INT_MAX:
        abort(400, description=f"{name} must be between {minimum} and {DB_INT_MAX}")
    return value
