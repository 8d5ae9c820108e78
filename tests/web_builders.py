"""Test data for the web UI: clusters with a history of nightly runs, built in bulk.

`build_world()` inserts clusters, crawl runs (one a day, the newest on `now`'s date), site results,
home-page snapshots with zstd bodies, cluster states, status history and open flags through
executemany-style INSERTs, so the bench can build 1,000 clusters x 365 runs in seconds. Statuses
follow a fixed pattern per cluster, so tests can predict what pages show.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import zstandard
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import (
    Body,
    Cluster,
    ClusterState,
    CrawlRun,
    Flag,
    PageConfirmation,
    PageSnapshot,
    SiteResult,
    StatusHistory,
)
from clusterwatch.db.store.users import add_user
from clusterwatch.monitor.settings import Settings
from clusterwatch.monitor.web.app import create_app
from clusterwatch.monitor.web.passwords import hash_password

SECTORS = ("life_science", "electronics", "energy_environment", "automotive", "food", "other")
PREFECTURES = ("Aichi", "Fukuoka", "Hokkaido", "Kyoto", "Osaka", "Tokyo")
STATUS_CYCLE = ("active", "active", "dormant", "unreachable", "parked", "active", "unknown")
TEXT_CHANGES_EVERY = 30  # runs between two versions of a home page's text
# runs between two full fetches of an unchanged page (a server ignoring validators now and
# then); the other revisits answer 304 and become confirmations
FULL_FETCH_EVERY = 7
HOSTILE_TITLE = '<script>alert("xss")</script><img src=x onerror=alert(1)>News & events'


@dataclass
class World:
    cluster_ids: list[str] = field(default_factory=list)
    run_ids: list[int] = field(default_factory=list)
    flag_ids: list[int] = field(default_factory=list)


def cluster_id(index: int) -> str:
    return f"c{index:04d}"


def status_of(index: int, run_index: int, runs: int) -> str:
    """A cluster's status after a run: its final status for the last third, active before."""
    final = STATUS_CYCLE[index % len(STATUS_CYCLE)]
    return final if run_index >= runs * 2 // 3 else "active"


def home_text(index: int, version: int, title: str) -> str:
    return f"{title}\nCluster {index} home page\nVersion {version}\nSeminar {2026 - version}\n"


def _compress(text: str) -> bytes:
    return zstandard.ZstdCompressor(level=3).compress(text.encode("utf-8"))


def build_world(
    sessions: sessionmaker[Session],
    now: datetime,
    *,
    clusters: int = 3,
    runs: int = 5,
    flags_per_cluster: int = 1,
    news_title: str = "Members' seminar on EU cooperation",
) -> World:
    """Insert a small (or, for the bench, large) consistent monitor history; return its ids."""
    world = World(cluster_ids=[cluster_id(i) for i in range(clusters)])
    first_day = now - timedelta(days=runs - 1)
    with sessions.begin() as session:
        session.execute(insert(Cluster), [_cluster_row(i, now) for i in range(clusters)])
        run_rows = [_run_row(r, first_day + timedelta(days=r), clusters) for r in range(runs)]
        session.execute(insert(CrawlRun), run_rows)
        world.run_ids = [row["id"] for row in run_rows]
        _insert_history(session, world, first_day, news_title)
        flag_rows = [
            _flag_row(i, k, world.run_ids[-1], now - timedelta(hours=clusters * k + i), news_title)
            for i in range(clusters)
            for k in range(flags_per_cluster)
        ]
        for number, row in enumerate(flag_rows, start=1):
            row["id"] = number
        session.execute(insert(Flag), flag_rows)
        world.flag_ids = [row["id"] for row in flag_rows]
    return world


def _cluster_row(index: int, now: datetime) -> dict[str, Any]:
    return {
        "id": cluster_id(index),
        "name": f"Cluster {index} association",
        "name_ja": f"クラスター{index}",
        "sector": SECTORS[index % len(SECTORS)],
        "prefecture": PREFECTURES[index % len(PREFECTURES)],
        "urls": [f"https://cluster{index}.example.jp/"],
        "baseline_2016": None,
        "source": "tests",
        "first_seen": now - timedelta(days=400),
        "updated_at": now,
        "retired_at": None,
    }


def _run_row(index: int, started: datetime, clusters: int) -> dict[str, Any]:
    return {
        "id": index + 1,
        "started_at": started,
        "finished_at": started + timedelta(hours=1),
        "state": "complete" if index % 50 != 49 else "incomplete",
        "degraded": index % 97 == 96,
        "sites_total": clusters,
        "sites_ok": clusters - clusters // 7,
        "sites_failed": clusters // 7,
        "sites_moved": 0,
        "pages": clusters * 3,
        "bytes": clusters * 30_000,
        "errors": clusters // 7,
        "note": None,
    }


CHUNK_CLUSTERS = 50  # clusters per batch of INSERTs: bounded memory at bench scale


def _insert_history(session: Session, world: World, first_day: datetime, title: str) -> None:
    total = len(world.cluster_ids)
    snapshot_ids = itertools.count(1)
    for start in range(0, total, CHUNK_CLUSTERS):
        chunk = range(start, min(start + CHUNK_CLUSTERS, total))
        _insert_chunk(session, world, chunk, first_day, title, snapshot_ids)


def _insert_chunk(
    session: Session,
    world: World,
    indexes: range,
    first_day: datetime,
    title: str,
    snapshot_ids: Iterator[int],
) -> None:
    runs = len(world.run_ids)
    results, snapshots, confirmations, history, states = [], [], [], [], []
    bodies: dict[str, dict[str, Any]] = {}
    for index in indexes:
        cid = world.cluster_ids[index]
        last: dict[str, Any] | None = None  # the cluster's newest snapshot
        for r, run_id in enumerate(world.run_ids):
            fetched = first_day + timedelta(days=r, minutes=index % 60)
            status = status_of(index, r, runs)
            ok = status != "unreachable"
            version = r // TEXT_CHANGES_EVERY
            sha = hashlib.sha256(f"{cid}:{version}".encode()).hexdigest()
            if ok and sha not in bodies:
                text = home_text(index, version, title)
                bodies[sha] = {
                    "sha256": sha,
                    "size": len(text),
                    "body_zstd": _compress(f"<html><title>{title}</title></html>"),
                    "text_zstd": _compress(text),
                    "created_at": fetched,
                }
            results.append(_result_row(index, run_id, fetched, ok))
            history.append(
                {
                    "cluster_id": cid,
                    "run_id": run_id,
                    "status": status,
                    "failing_streak": 0 if ok else r - runs * 2 // 3 + 1,
                    "recorded_at": fetched,
                }
            )
            if ok and last and last["text_hash"] == sha and r % FULL_FETCH_EVERY:
                confirmations.append(
                    {"run_id": run_id, "snapshot_id": last["id"], "fetched_at": fetched}
                )
            elif ok:
                last = _snapshot_row(cid, run_id, fetched, sha, index)
                last["id"] = next(snapshot_ids)
                snapshots.append(last)
        last_crawl = first_day + timedelta(days=runs - 1)
        states.append(_state_row(index, world.run_ids[-1], last_crawl, title))
    session.execute(insert(Body), list(bodies.values()))
    session.execute(insert(SiteResult), results)
    session.execute(insert(PageSnapshot), snapshots)
    if confirmations:
        session.execute(insert(PageConfirmation), confirmations)
    session.execute(insert(StatusHistory), history)
    session.execute(insert(ClusterState), states)


def _result_row(index: int, run_id: int, fetched: datetime, ok: bool) -> dict[str, Any]:
    url = f"https://cluster{index}.example.jp/"
    return {
        "run_id": run_id,
        "cluster_id": cluster_id(index),
        "outcome": "ok" if ok else "timeout",
        "requested_url": url,
        "final_url": url if ok else None,
        "moved_to": None,
        "http_status": 200 if ok else None,
        "pages": 3 if ok else 0,
        "not_modified": 0,
        "bytes": 30_000 if ok else 0,
        "error": None if ok else "timed out after 30 s",
        "analysis": {"main_language": "ja", "language_shares": {"ja": 0.8, "en": 0.2}}
        if ok
        else None,
        "finished_at": fetched,
    }


def _snapshot_row(cid: str, run_id: int, fetched: datetime, sha: str, index: int) -> dict[str, Any]:
    url = f"https://cluster{index}.example.jp/"
    return {
        "run_id": run_id,
        "cluster_id": cid,
        "url": url,
        "final_url": url,
        "status": 200,
        "fetched_at": fetched,
        "depth": 0,
        "content_hash": sha,
        "text_hash": sha,
        "size": 1000,
    }


def _state_row(index: int, last_run: int, last_crawl: datetime, title: str) -> dict[str, Any]:
    status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
    return {
        "cluster_id": cluster_id(index),
        "status": status,
        "status_reason": f"pattern {status}",
        "status_since": last_crawl - timedelta(days=30),
        "moved_to": None,
        "failing_streak": 3 if status == "unreachable" else 0,
        "parked_streak": 0,
        "last_update": date(2026, 10, 1),
        "last_update_evidence": {"url": f"https://cluster{index}.example.jp/news", "text": title},
        "main_language": "ja",
        "english_site": "static",
        "pending_changes": {"english_site": 1} if index == 0 else None,
        "internationalisation": "eu_recent" if index % 3 == 0 else "no_info",
        "eu_signals": [
            {
                "date": "2026-09-01",
                "url": "javascript:alert(1)",
                "text": "MoU with a Bavarian cluster",
            }
        ]
        if index % 3 == 0
        else [],
        "last_crawl": last_crawl,
        "last_run_id": last_run,
        "evaluated_at": last_crawl,
    }


def _flag_row(index: int, k: int, run_id: int, created: datetime, title: str) -> dict[str, Any]:
    kind = ("became_dormant", "new_eu_signal", "moved")[(index + k) % 3]
    return {
        "cluster_id": cluster_id(index),
        "kind": kind,
        "state": "open",
        "created_at": created,
        "run_id": run_id,
        "evidence": [
            {"url": f"https://cluster{index}.example.jp/news", "text": title, "date": "2026-11-20"}
        ],
        "evidence_key": hashlib.sha256(f"{index}:{k}".encode()).hexdigest(),
    }


def make_app(
    sessions: sessionmaker[Session], now: datetime, *, csrf: bool = False, **settings: Any
) -> Flask:
    """The web app over `sessions` with a fixed clock; CSRF off unless a test is about it."""
    return create_app(
        Settings(secret_key="test-secret-key-0123456789abcdef", **settings),
        sessions,
        clock=lambda: now,
        config={"TESTING": True, "WTF_CSRF_ENABLED": csrf},
    )


# argon2 at its production cost takes about 0.5 s on a busy CI core; tests that do not test
# passwords store a cheap hash and log in through the session (login_as).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def add_curator(
    sessions: sessionmaker[Session], name: str, password: str, now: datetime, *, cheap: bool = True
) -> None:
    password_hash = CHEAP_HASHER.hash(password) if cheap else hash_password(password)
    with sessions.begin() as session:
        add_user(session, name, password_hash, now)


def login_as(client: FlaskClient, name: str) -> None:
    """Log in without the login form (tests of the form are in test_web_auth.py)."""
    with client.session_transaction() as session:
        session["user"] = name
        session["version"] = 0  # a new account's session version (see users.session_version)
