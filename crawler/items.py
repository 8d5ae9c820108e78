"""What the spider yields: a fetched page, or a failure that is data, not a log line.

PageItem carries everything the pipeline needs to analyse and store a response without
Scrapy objects; FetchFailure records why a URL could not be fetched (the `kind` vocabulary is
clusterwatch.vocabulary.Outcome). Both are tagged with the cluster id of the seed they came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class PageItem:
    cluster_id: str
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes
    fetched_at: datetime
    depth: int = 0
    redirects: list[str] = field(default_factory=list)
    is_seed: bool = False
    seed_index: int | None = None  # position in the seed's urls; 0 is the home page

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class FetchFailure:
    cluster_id: str
    url: str
    kind: str  # a clusterwatch.vocabulary.Outcome value
    message: str
    fetched_at: datetime
    is_seed: bool = False
    seed_index: int | None = None
    final_url: str | None = None  # the URL that failed, after redirects (a refused address)


@dataclass
class SiteDone:
    """Every request of this cluster's site reached its callback: its result may be written."""

    cluster_id: str
