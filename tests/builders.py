"""Test data for the monitor: clusters, crawl runs and site results with site-analysis dicts.

The dicts have exactly the keys crawler.analysis.summarize_site writes, so the monitor's tests
do not depend on the crawler. `World` scripts nights: `world.night(...)` adds one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Cluster, CrawlRun, SiteResult

T0 = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)


def analysis(**changes: Any) -> dict[str, Any]:
    """A site analysis of an active Japanese-only site; keyword arguments replace keys."""
    base: dict[str, Any] = {
        "main_language": "ja",
        "language_shares": {"ja": 0.9, "en": 0.1},
        "english_site": "none",
        "english_evidence": [],
        "last_update": "2026-10-01",
        "last_update_evidence": {
            "url": "https://a.example.jp/news/",
            "text": "2026年10月1日 お知らせ",
        },
        "internationalisation": "no_info",
        "eu_signals": [],
        "other_signals": [],
        "parked": None,
        "blocked": None,
        "soft_404_urls": [],
        "pages_analysed": 12,
        "home_title": "トップページ | 一般社団法人 あおば医療機器産業クラスター協議会",
    }
    unknown = set(changes) - set(base)
    assert not unknown, f"not a site-analysis key: {unknown}"
    base.update(changes)
    return base


def eu_signal(day: str, url: str, text: str) -> dict[str, Any]:
    return {"date": day, "url": url, "text": text, "entities": ["EU"], "cooperation": ["MoU"]}


def parked_page(url: str = "http://a.example.jp/", kind: str = "for_sale") -> dict[str, Any]:
    return {"kind": kind, "url": url, "text": "このドメインは売却中です"}


def bot_wall(url: str = "https://a.example.jp/") -> dict[str, Any]:
    return {"url": url, "text": "Checking your browser", "vendor": "cloudflare"}


def add_cluster(
    session: Session,
    cluster_id: str,
    sector: str = "life_science",
    name: str | None = None,
    retired: bool = False,
) -> Cluster:
    cluster = Cluster(
        id=cluster_id,
        name=name or cluster_id.upper(),
        sector=sector,
        urls=[f"https://{cluster_id}.example.jp/"],
        first_seen=T0,
        updated_at=T0,
        retired_at=T0 if retired else None,
    )
    session.add(cluster)
    return cluster


@dataclass
class World:
    """Nights of crawling: each `night()` adds one run with the given site results."""

    sessions: sessionmaker[Session]
    clock: datetime = T0
    runs: list[int] = field(default_factory=list)

    def clusters(self, *ids: str, sector: str = "life_science") -> None:
        with self.sessions.begin() as session:
            for cluster_id in ids:
                add_cluster(session, cluster_id, sector)

    def night(
        self,
        results: dict[str, dict[str, Any]],
        state: str = "complete",
        degraded: bool = False,
        days: int = 1,
    ) -> int:
        """A run; `results` maps cluster id to site_result columns (outcome, analysis, ...)."""
        self.clock += timedelta(days=days)
        with self.sessions.begin() as session:
            run = CrawlRun(
                started_at=self.clock,
                finished_at=self.clock + timedelta(hours=1),
                state=state,
                degraded=degraded,
            )
            session.add(run)
            session.flush()
            for cluster_id, columns in results.items():
                session.add(site_result(run.id, cluster_id, self.clock, **columns))
            self.runs.append(run.id)
            return run.id


def site_result(
    run_id: int, cluster_id: str, at: datetime, outcome: str = "ok", **columns: Any
) -> SiteResult:
    home = f"https://{cluster_id}.example.jp/"
    values: dict[str, Any] = {
        "requested_url": home,
        "final_url": home if outcome == "ok" else None,
        "analysis": analysis() if outcome == "ok" else None,
        "finished_at": at + timedelta(minutes=30),
        "http_status": 200 if outcome == "ok" else None,
    }
    values.update(columns)
    return SiteResult(run_id=run_id, cluster_id=cluster_id, outcome=outcome, **values)


def ok(**changes: Any) -> dict[str, Any]:
    """Site-result columns of an ok fetch whose analysis has `changes`."""
    moved_to = changes.pop("moved_to", None)
    return {"outcome": "ok", "analysis": analysis(**changes), "moved_to": moved_to}


def failed(outcome: str = "dns", error: str = "NXDOMAIN") -> dict[str, Any]:
    return {"outcome": outcome, "error": error, "analysis": None}
