"""The cluster registry: the `clusters` table is the list that is crawled; seeds files feed it.

Curators change the registry (add, edit, retire, restore, accept a move) from the CLI and the
web UI; `clusterwatch seeds import` brings a seeds file in and `seeds export` writes the registry
out in the same schema. Which wins when both changed a cluster:

- A field a curator set (recorded in `clusters.curated`) is never overwritten by an import: the
  import reports a conflict naming the cluster, the field, both values and who set it, and keeps
  the curator's value. Every other field follows the file.
- A cluster a curator retired stays retired though the file lists it (a conflict, reported).
- A cluster the file no longer lists is retired, unless a curator added it (then it is kept and
  reported). A retired cluster the file lists again is restored.

Every change is an audit event (monitor.review's trail) with who, when, old and new values.
Fields are checked exactly as a seeds file is: a cluster is validated by crawler.seeds itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.crawler.seeds import Seed, SeedsError, parse_seeds
from clusterwatch.db.models import Cluster, Hub
from clusterwatch.db.store import audit

FIELDS = ("name", "name_ja", "sector", "prefecture", "urls", "baseline_2016", "source")
EDITABLE = ("name", "name_ja", "sector", "prefecture", "urls", "source")
ORIGIN_SEEDS, ORIGIN_CURATOR = "seeds", "curator"


class RegistryError(ValueError):
    """A registry change that cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Conflict:
    cluster_id: str
    field: str
    file_value: Any
    kept_value: Any
    set_by: str

    def __str__(self) -> str:
        return (
            f"cluster '{self.cluster_id}': field '{self.field}': the file says "
            f"{self.file_value!r}, {self.set_by} set {self.kept_value!r}; kept the curator's "
            "value (change it with `clusterwatch cluster edit`)"
        )


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # curator-added, not in the file
    conflicts: list[Conflict] = field(default_factory=list)
    hubs_added: list[str] = field(default_factory=list)  # the file's hubs not registered yet

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.restored or self.retired)


def seed_values(seed: Seed) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(seed, name) for name in FIELDS}
    values["urls"] = list(seed.urls)
    values["baseline_2016"] = dict(seed.baseline_2016) if seed.baseline_2016 else None
    return values


def validate(cluster_id: str, values: Mapping[str, Any]) -> Seed:
    """`values` checked as one entry of a seeds file would be; RegistryError names each field."""
    entry = {"id": cluster_id, **{k: v for k, v in values.items() if v not in (None, "", [])}}
    text = yaml.safe_dump({"clusters": [entry]}, allow_unicode=True, sort_keys=False)
    try:
        (seed,) = parse_seeds(text, f"cluster {cluster_id!r}")
    except SeedsError as exc:
        problems = [
            f"field '{p.field}': {p.message}" if p.field else p.message for p in exc.problems
        ]
        raise RegistryError("; ".join(problems)) from exc
    return seed


def import_seeds(
    sessions: sessionmaker[Session], seeds: Sequence[Seed], actor: str, now: datetime, origin: str
) -> ImportReport:
    """Bring a validated seeds list into the registry under the rules in the module docstring."""
    report = ImportReport()
    note = f"seeds import from {origin}"
    with sessions.begin() as session:
        rows = {row.id: row for row in session.scalars(select(Cluster))}
        for seed in seeds:
            row = rows.get(seed.id)
            if row is None:
                _add(session, seed, ORIGIN_SEEDS, actor, now, note)
                report.added.append(seed.id)
            else:
                _import_into(session, row, seed, actor, now, note, report)
        listed = {seed.id for seed in seeds}
        for row in rows.values():
            if row.id in listed or row.retired_at is not None:
                continue
            if row.origin == ORIGIN_CURATOR:
                report.kept.append(row.id)
                continue
            _set_retired(session, row, None, actor, now, note)
            report.retired.append(row.id)
    return report


def export_seeds(sessions: sessionmaker[Session], now: datetime) -> str:
    """The registry's live clusters as a seeds file that imports back without a change."""
    with sessions() as session:
        rows = session.scalars(
            select(Cluster)
            .where(Cluster.retired_at.is_(None))
            .order_by(Cluster.first_seen, Cluster.id)
        )
        entries = [
            {"id": row.id, **{k: v for k in FIELDS if (v := _value(row, k)) not in (None, [])}}
            for row in rows
        ]
        hubs = [
            {"url": hub.url, **({"note": hub.note} if hub.note else {})}
            for hub in session.scalars(select(Hub).order_by(Hub.id))
        ]
    header = (
        f"# clusterwatch seeds, exported from the registry on {now:%Y-%m-%d %H:%M} UTC.\n"
        "# Schema: id (required, unique, [a-z0-9-]), name (required), name_ja, sector (required),\n"
        "# prefecture, urls (required; the first is the home page), baseline_2016, source.\n"
        "# hubs: pages that list cluster organisations (url, note), read by discovery.\n"
        "# `clusterwatch seeds import FILE` brings it back; fields a curator set win over it.\n\n"
    )
    document: dict[str, Any] = {"clusters": entries, **({"hubs": hubs} if hubs else {})}
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return header + body


def add_cluster(
    sessions: sessionmaker[Session],
    cluster_id: str,
    values: Mapping[str, Any],
    actor: str,
    now: datetime,
    note: str | None = None,
) -> None:
    seed = validate(cluster_id, values)
    with sessions.begin() as session:
        if session.get(Cluster, cluster_id) is not None:
            raise RegistryError(
                f"cluster {cluster_id!r} exists; edit it, or restore it if it was retired"
            )
        _add(session, seed, ORIGIN_CURATOR, actor, now, note)


def edit_cluster(
    sessions: sessionmaker[Session],
    cluster_id: str,
    changes: Mapping[str, Any],
    actor: str,
    now: datetime,
    note: str | None = None,
) -> list[str]:
    """Apply a curator's changes; returns the fields that changed (they become curated)."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise RegistryError(f"cannot edit {', '.join(unknown)}; editable: {', '.join(EDITABLE)}")
    with sessions.begin() as session:
        row = _get(session, cluster_id)
        merged = {name: _value(row, name) for name in FIELDS} | dict(changes)
        seed = validate(cluster_id, merged)
        wanted = seed_values(seed)
        changed = [name for name in changes if wanted[name] != _value(row, name)]
        _apply(
            session,
            row,
            {name: wanted[name] for name in changed},
            actor,
            now,
            note,
            "cluster_edited",
        )
        _mark_curated(row, changed, actor, now)
    return changed


def retire_cluster(
    sessions: sessionmaker[Session], cluster_id: str, actor: str, now: datetime, note: str | None
) -> None:
    with sessions.begin() as session:
        row = _get(session, cluster_id)
        if row.retired_at is not None:
            raise RegistryError(f"cluster {cluster_id!r} is already retired")
        _set_retired(session, row, actor, actor, now, note)


def restore_cluster(
    sessions: sessionmaker[Session], cluster_id: str, actor: str, now: datetime, note: str | None
) -> None:
    with sessions.begin() as session:
        row = _get(session, cluster_id)
        if row.retired_at is None:
            raise RegistryError(f"cluster {cluster_id!r} is not retired")
        _restore(session, row, actor, now, note)


def accept_move(
    session: Session, cluster_id: str, new_home: str, actor: str, now: datetime
) -> None:
    """A confirmed move: `new_home` leads the URLs; URLs on the old home's host are dropped.

    The old URLs stay in the audit trail and are no longer fetched from the next crawl on; the
    URLs become curated, so importing the old seeds file does not bring the old home back.
    """
    row = _get(session, cluster_id)
    old_urls = list(row.urls or [])
    old_host = urlsplit(old_urls[0]).hostname if old_urls else None
    kept = [url for url in old_urls if urlsplit(url).hostname != old_host and url != new_home]
    new_urls = [new_home, *kept]
    validate(cluster_id, {name: _value(row, name) for name in FIELDS} | {"urls": new_urls})
    if new_urls != old_urls:
        _apply(
            session, row, {"urls": new_urls}, actor, now, "moved flag confirmed", "move_accepted"
        )
        _mark_curated(row, ["urls"], actor, now)


def undo_move(session: Session, cluster_id: str, actor: str, now: datetime) -> None:
    """Put back the URLs the last accepted move replaced, if nobody changed them since."""
    row = _get(session, cluster_id)
    moves = [e for e in audit.events_of_cluster(session, cluster_id) if e.action == "move_accepted"]
    if not moves:
        return
    last = moves[-1]
    if (last.new or {}).get("urls") != _value(row, "urls"):
        raise RegistryError("its URLs changed after the move was accepted; edit them by hand")
    old_urls = list((last.old or {}).get("urls") or [])
    _apply(session, row, {"urls": old_urls}, actor, now, "move review undone", "move_undone")


def _import_into(
    session: Session,
    row: Cluster,
    seed: Seed,
    actor: str,
    now: datetime,
    note: str,
    report: ImportReport,
) -> None:
    if row.retired_at is not None and row.retired_by is not None:
        set_by = f"{row.retired_by} (retired {row.retired_at:%Y-%m-%d})"
        report.conflicts.append(Conflict(row.id, "retired", "listed", "retired", set_by))
        return
    curated = row.curated or {}
    wanted = seed_values(seed)
    updates = {}
    for name in FIELDS:
        current = _value(row, name)
        if wanted[name] == current:
            continue
        if name in curated:
            mark = curated[name]
            set_by = f"{mark.get('by', 'a curator')} on {str(mark.get('at', ''))[:10]}"
            report.conflicts.append(Conflict(row.id, name, wanted[name], current, set_by))
        else:
            updates[name] = wanted[name]
    if row.retired_at is not None:
        _restore(session, row, actor, now, note)
        report.restored.append(row.id)
    if updates:
        _apply(session, row, updates, actor, now, note, "cluster_edited")
        report.updated.append(row.id)


def _add(
    session: Session, seed: Seed, origin: str, actor: str, now: datetime, note: str | None
) -> None:
    values = seed_values(seed)
    row = Cluster(id=seed.id, first_seen=now, updated_at=now, origin=origin, **values)
    if origin == ORIGIN_CURATOR:
        _mark_curated(row, list(EDITABLE), actor, now)
    session.add(row)
    new = {k: v for k, v in values.items() if v is not None}
    audit.record(
        session,
        audit.Change(actor, "cluster", seed.id, "cluster_added", seed.id, None, new, note),
        now,
    )


def _apply(
    session: Session,
    row: Cluster,
    updates: Mapping[str, Any],
    actor: str,
    now: datetime,
    note: str | None,
    action: str,
) -> None:
    if not updates:
        return
    old = {name: _value(row, name) for name in updates}
    for name, value in updates.items():
        setattr(row, name, value)
    row.updated_at = now
    change = audit.Change(actor, "cluster", row.id, action, row.id, old, dict(updates), note)
    audit.record(session, change, now)


def _set_retired(
    session: Session, row: Cluster, by: str | None, actor: str, now: datetime, note: str | None
) -> None:
    row.retired_at, row.retired_by = now, by
    change = audit.Change(
        actor,
        "cluster",
        row.id,
        "cluster_retired",
        row.id,
        {"retired": False},
        {"retired": True},
        note,
    )
    audit.record(session, change, now)


def _restore(session: Session, row: Cluster, actor: str, now: datetime, note: str | None) -> None:
    row.retired_at, row.retired_by, row.updated_at = None, None, now
    change = audit.Change(
        actor,
        "cluster",
        row.id,
        "cluster_restored",
        row.id,
        {"retired": True},
        {"retired": False},
        note,
    )
    audit.record(session, change, now)


def _mark_curated(row: Cluster, names: Sequence[str], actor: str, now: datetime) -> None:
    if names:
        stamp = {"by": actor, "at": now.isoformat()}
        row.curated = {**(row.curated or {}), **{name: stamp for name in names}}


def _value(row: Cluster, name: str) -> Any:
    value = getattr(row, name)
    return list(value) if name == "urls" and value is not None else value


def _get(session: Session, cluster_id: str) -> Cluster:
    row = session.get(Cluster, cluster_id)
    if row is None:
        raise RegistryError(f"no cluster {cluster_id!r}; see the ids with `clusterwatch status`")
    return row
