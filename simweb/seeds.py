"""Writes a seeds.yaml for the simulated clusters, in the schema of issue 2 (config/seeds.yaml)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from clusterwatch.simweb.model import Cluster


def seed_entry(cluster: Cluster) -> dict[str, Any]:
    """One `clusters:` entry; optional keys only when the cluster has them."""
    entry: dict[str, Any] = {"id": cluster.id, "name": cluster.name}
    if cluster.name_ja:
        entry["name_ja"] = cluster.name_ja
    entry["sector"] = cluster.sector
    if cluster.prefecture:
        entry["prefecture"] = cluster.prefecture
    entry["urls"] = list(cluster.urls)
    if cluster.source:
        entry["source"] = cluster.source
    return entry


def write_seeds(clusters: Iterable[Cluster], path: str | Path) -> Path:
    target = Path(path)
    document = {"clusters": [seed_entry(c) for c in clusters]}
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    target.write_text("# Written by simweb: the simulated web's clusters.\n" + text, "utf-8")
    return target
