"""crawler.analysis.discovery_score and db.store.candidates: the scoring rules with their
evidence, and a rejected candidate that reopens only on a page that had not named it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.crawler.analysis.discovery_score import HomePage, Sighting, judge
from clusterwatch.db.models import Candidate
from clusterwatch.db.store.candidates import OPEN, REJECTED, SeenLink, add_sightings

LINK = Sighting("kobe", "https://kobe.or.jp/links.html", "X推進協議会", "連携協定を結びました。")


def test_a_council_outscores_a_company_and_every_point_has_evidence() -> None:
    council = judge(
        "x-council.or.jp",
        HomePage("https://www.x-council.or.jp/", "X推進協議会 | X Council", "会員企業と産学官連携"),
        [LINK, Sighting("osaka", "https://osaka.jp/", "X推進協議会", "")],
    )
    company = judge(
        "x-tech.co.jp",
        HomePage("https://www.x-tech.co.jp/", "株式会社Xテック", "製品情報"),
        [Sighting("kobe", "https://kobe.or.jp/", "Xテック", "パートナー企業")],
    )
    assert council.score > 4 > company.score
    assert (council.name, council.name_ja) == ("X Council", "X推進協議会")
    rules = {item["rule"] for item in council.evidence}
    assert {"name", "activity", "link_words", "pointers", "domain"} <= rules
    assert sum(item.get("points", 0) for item in council.evidence) == council.score
    assert any(item["rule"] == "not_company" for item in company.evidence)


def test_sector_and_prefecture_come_from_the_page() -> None:
    page = HomePage("https://a.or.jp/", "北陸バイオ医療クラスター", "〒920-0000 石川県金沢市")
    judged = judge("a.or.jp", page, [])
    assert (judged.sector, judged.prefecture) == ("life_science", "Ishikawa")


def _seen(page: str) -> SeenLink:
    return SeenLink(
        "x.or.jp", "https://x.or.jp/", "kobe", "kobe", page, "https://x.or.jp/", "X", ""
    )


def test_a_rejected_candidate_reopens_only_on_a_new_page(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    with sessions.begin() as session:
        candidate = add_sightings(session, [_seen("https://kobe.or.jp/a")], 1, now)["x.or.jp"]
        candidate.state = REJECTED
    later = now + timedelta(days=1)
    with sessions.begin() as session:
        add_sightings(session, [_seen("https://kobe.or.jp/a")], 2, later)
    with sessions() as session:
        assert session.get_one(Candidate, candidate.id).state == REJECTED
    with sessions.begin() as session:
        add_sightings(session, [_seen("https://kobe.or.jp/b")], 3, later)
    with sessions() as session:
        assert session.get_one(Candidate, candidate.id).state == OPEN
