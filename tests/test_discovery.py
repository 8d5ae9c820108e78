"""Discovery end to end: one night over the simulated web fills the queue with the planted
clusters and not the distractors; accept puts one in the registry, reject keeps one out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.crawler.analysis.discovery_links import is_never, outbound_links
from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.models import Cluster, SiteResult
from clusterwatch.simweb import SimulatedWeb
from clusterwatch.simweb.discovery import DISTRACTORS, HUB_URL, PLANTED, VIA_HUB

pytestmark = pytest.mark.slow
ENV = {"CLUSTERWATCH_CRAWL_DELAY": "0", "CLUSTERWATCH_DOWNLOAD_TIMEOUT": "5"}


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clusterwatch.monitor.cli", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def host(org_host: str) -> str:
    return org_host.removeprefix("www.")


def test_outbound_links_keep_anchor_and_sentence_and_drop_never_hosts() -> None:
    html = (
        '<p>連携協定を締結した<a href="https://www.x-kyogikai.or.jp/a">X協議会</a>と'
        "セミナーを開催しました。</p>"
        '<a href="https://twitter.com/x">X</a><a href="/local">own</a>'
    )
    links = list(outbound_links(html, "https://known.or.jp/links", lambda h: h == "known.or.jp"))
    assert [(li.host, li.anchor, li.home) for li in links] == [
        ("x-kyogikai.or.jp", "X協議会", "https://www.x-kyogikai.or.jp/")
    ]
    assert "連携協定" in links[0].snippet
    assert is_never("www.youtube.com") and not is_never("youtube-cluster.jp")


def test_one_night_finds_planted_clusters_then_accept_and_reject(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/cw.sqlite3"
    hub = cli("hub", "add", HUB_URL, "--note", "Miyagi's list of councils", "--db", db)
    assert hub.returncode == 0, hub.stderr
    with SimulatedWeb.discovery() as web:
        seeds = web.write_seeds(tmp_path / "seeds.yaml")
        env = {**ENV, **web.proxy_env()}
        night = cli("crawl", "--seeds", str(seeds), "--db", db, env=env)
        assert night.returncode == 0, night.stderr
        fetched = {r.host for r in web.requests}
    queue = json.loads(cli("candidates", "--format", "json", "--db", db).stdout)
    hosts = {host(row["url"].split("/")[2]) for row in queue}
    assert hosts == {host(org.host) for org in (*PLANTED, *VIA_HUB)}
    assert not hosts & {host(org.host) for org in DISTRACTORS}
    assert not fetched & {"twitter.com", "www.facebook.com", "www.meti.go.jp"}
    assert set(queue[0]) == {
        "id", "url", "name", "name_ja", "score", "sector", "prefecture", "english_site",
        "found_on", "first_seen", "last_seen", "state",
    }  # fmt: skip
    tohoku = next(r for r in queue if "tohoku-mobility" in r["url"])
    assert (tohoku["sector"], tohoku["prefecture"]) == ("automotive", "Miyagi")
    (kansai,) = [f for f in tohoku["found_on"] if f.get("cluster_id") == "kansai-cluster"]
    assert (
        "連携協定" in kansai["snippet"] and kansai["anchor"] == "とうほく次世代モビリティ推進協議会"
    )
    assert {"hub": HUB_URL}.items() <= next(f for f in tohoku["found_on"] if "hub" in f).items()

    accepted = cli("candidates", "accept", str(tohoku["id"]), "--db", db)
    assert accepted.returncode == 0, accepted.stderr
    sessions: sessionmaker[Session] = session_factory(make_engine(db))
    with sessions() as session:
        cluster = session.get(Cluster, "tohoku-mobility")
        assert cluster is not None and cluster.urls == [tohoku["url"]]
        assert cluster.source and "kansai-cluster.or.jp/links.html" in cluster.source

    fintech = next(r for r in queue if "sendai-fintech" in r["url"])
    assert fintech["found_on"][0]["hub"] == HUB_URL
    assert (fintech["sector"], fintech["prefecture"]) == ("ict", "Miyagi")

    kyushu = next(r for r in queue if "kyushu-h2" in r["url"])
    assert (
        cli("candidates", "reject", str(kyushu["id"]), "--note", "test", "--db", db).returncode == 0
    )
    with SimulatedWeb.discovery() as web:
        again = cli("crawl", "--seeds", str(seeds), "--db", db, env={**ENV, **web.proxy_env()})
        assert again.returncode == 0, again.stderr
    with sessions() as session:  # the accepted candidate was crawled as a cluster the next night
        crawled = session.scalars(
            select(SiteResult.outcome).where(SiteResult.cluster_id == "tohoku-mobility")
        ).all()
    assert crawled == ["ok"]
    after = json.loads(cli("candidates", "--format", "json", "--db", db).stdout)
    assert kyushu["id"] not in {r["id"] for r in after}
    assert tohoku["id"] not in {r["id"] for r in after}
    every = json.loads(cli("candidates", "--state", "all", "--format", "json", "--db", db).stdout)
    states = {r["id"]: r["state"] for r in every}
    assert (states[tohoku["id"]], states[kyushu["id"]]) == ("accepted", "rejected")
