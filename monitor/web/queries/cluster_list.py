"""The clusters index as curators search it: text search, filters and a sort, from the URL.

In: the same `ClusterRow`s the CLI's `status` shows (overrides applied) plus each cluster's
prefecture and Japanese name, and the query string. Out: the rows to show and the values each
filter offers. A value that is not offered is ignored rather than an error, so an old bookmark
still opens. Pure functions over at most a few thousand rows: no SQL per filter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.db.models import Cluster
from clusterwatch.monitor.clusters_view import ClusterRow

FILTER_FIELDS = ("status", "sector", "prefecture", "english_site", "internationalisation")
SORT_FIELDS = (
    "name",
    "status",
    "sector",
    "prefecture",
    "last_update",
    "english_site",
    "internationalisation",
    "open_flags",
)
MAX_SEARCH_CHARS = 200


@dataclass(frozen=True)
class Listing:
    row: ClusterRow
    prefecture: str | None
    name_ja: str | None

    def value(self, field: str) -> str:
        """The field as the filters compare it ('' when unknown)."""
        found = self.prefecture if field == "prefecture" else getattr(self.row, field)
        return "" if found is None else str(found)


@dataclass(frozen=True)
class ListQuery:
    text: str
    filters: Mapping[str, str]
    sort: str
    descending: bool

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ListQuery:
        sort = args.get("sort", "name")
        return cls(
            text=args.get("q", "").strip()[:MAX_SEARCH_CHARS],
            filters={key: args[key] for key in FILTER_FIELDS if args.get(key)},
            sort=sort if sort in SORT_FIELDS else "name",
            descending=args.get("order") == "desc",
        )


def listings(session: Session, rows: Sequence[ClusterRow]) -> list[Listing]:
    extra = dict(
        (cluster_id, (prefecture, name_ja))
        for cluster_id, prefecture, name_ja in session.execute(
            select(Cluster.id, Cluster.prefecture, Cluster.name_ja)
        )
    )
    return [Listing(row, *extra.get(row.id, (None, None))) for row in rows]


def facets(items: Sequence[Listing]) -> dict[str, list[str]]:
    """For each filter, the values present, sorted (what its drop-down offers)."""
    return {
        field: sorted({item.value(field) for item in items if item.value(field)})
        for field in FILTER_FIELDS
    }


def select_listings(items: Sequence[Listing], query: ListQuery) -> list[Listing]:
    needle = query.text.casefold()
    offered = facets(items)
    chosen = [(field, value) for field, value in query.filters.items() if value in offered[field]]
    kept = [
        item
        for item in items
        if all(item.value(field) == value for field, value in chosen)
        and (not needle or needle in _haystack(item))
    ]
    return sorted(kept, key=lambda item: _sort_key(item, query.sort), reverse=query.descending)


def _haystack(item: Listing) -> str:
    parts = (item.row.id, item.row.name, item.name_ja or "", item.prefecture or "")
    return " ".join(parts).casefold()


def _sort_key(item: Listing, field: str) -> tuple[int, str, str]:
    """Empty values sort last (first when descending); ties by name."""
    if field == "name":
        return (0, item.row.name.casefold(), item.row.id)
    if field == "open_flags":
        return (0, f"{item.row.open_flags:09d}", item.row.name.casefold())
    if field == "last_update":
        day: date | None = item.row.last_update
        return (0 if day else 1, day.isoformat() if day else "", item.row.name.casefold())
    value = item.value(field)
    return (0 if value else 1, value.casefold(), item.row.name.casefold())
