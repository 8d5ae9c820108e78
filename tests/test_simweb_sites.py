"""The simulated web's scenario sites: encodings as bytes, phases, quirks, expectations, seeds."""

from __future__ import annotations

import re
import ssl
import time
from collections.abc import Iterator
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import yaml

from clusterwatch.simweb import Outcome, SimulatedWeb
from clusterwatch.simweb.markup import era_date
from clusterwatch.simweb.model import Night

TODAY = date(2026, 11, 25)
SLOW_SECONDS = 1.5
SECTORS = {
    "life_science", "ict", "energy_environment", "automotive", "electronics",
    "precision_manufacturing", "aerospace", "food", "other",
}  # fmt: skip


@pytest.fixture(scope="module")
def web() -> Iterator[SimulatedWeb]:
    with SimulatedWeb(today=TODAY, upstream_timeout=0.1, slow_seconds=SLOW_SECONDS) as running:
        yield running


@pytest.fixture(autouse=True)
def phase_one(web: SimulatedWeb) -> Iterator[None]:
    web.set_phase(1)
    yield
    web.set_phase(1)


def test_era_dates_switch_at_the_first_day_of_an_era() -> None:
    assert era_date(date(2019, 4, 30)) == "平成31年4月30日"
    assert era_date(date(2019, 5, 1)) == "令和元年5月1日"
    assert era_date(date(2026, 11, 5)) == "令和8年11月5日"


def test_shift_jis_site_declares_no_charset_and_decodes_only_as_shift_jis(
    web: SimulatedWeb,
) -> None:
    page = web.fetch("http://www.fuku-semi.jp/iryou-pj/")
    assert page.headers["content-type"] == "text/html"
    assert b"charset" not in page.body.lower()
    text = page.body.decode("shift_jis")
    assert "平成" in text and "医療" in text
    assert f"2005-{TODAY.year}" in text  # the auto-printed copyright year
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")


def test_euc_jp_site_has_a_wrong_header_and_a_right_meta(web: SimulatedWeb) -> None:
    page = web.fetch("http://www.nisri.jp/jisedai/")
    assert page.headers["content-type"] == "text/html; charset=iso-8859-1"
    assert b"charset=EUC-JP" in page.body
    assert "バーデン＝ヴュルテンベルク州" in page.body.decode("euc_jp")


def test_iso_2022_jp_page_has_no_charset_anywhere(web: SimulatedWeb) -> None:
    page = web.fetch("https://hiac.or.jp/cluster/news.html")
    assert page.headers["content-type"] == "text/html"
    assert b"\x1b$B" in page.body and b"charset" not in page.body
    assert "成果報告会" in page.body.decode("iso2022_jp")


def test_active_site_declares_sitemap_and_feed_with_recent_dates(web: SimulatedWeb) -> None:
    robots = web.fetch("https://osaka-bio.jp/robots.txt").body.decode()
    sitemap_url = re.search(r"Sitemap: (\S+)", robots)
    assert sitemap_url, robots
    sitemap = web.fetch(sitemap_url[1]).body.decode()
    assert "<loc>https://osaka-bio.jp/news/" in sitemap
    feed = web.fetch("https://osaka-bio.jp/feed/").body.decode()
    assert feed.count("<item>") == 5
    home = web.fetch("https://osaka-bio.jp/").body.decode()
    assert "2026年11月5日" in home  # 20 days before TODAY
    event = web.fetch("https://osaka-bio.jp/event/").body.decode()
    assert "2027年1月20日（開催予定）" in event


def test_bilingual_site_links_languages_with_hreflang(web: SimulatedWeb) -> None:
    home = web.fetch("https://www.kobe-lsc.jp/").body.decode()
    english = web.fetch("https://www.kobe-lsc.jp/en/").body.decode()
    assert 'hreflang="en" href="https://www.kobe-lsc.jp/en/"' in home
    assert '<html lang="en">' in english and "Medicon Valley Alliance" in english
    assert "13 November 2026" in english


def test_home_page_moves_to_the_new_domain(web: SimulatedWeb) -> None:
    old = web.fetch("http://www.ibri-kobe.org/english/cluster/")
    assert (old.status, old.headers["location"]) == (
        301,
        "https://www.fbri-kobe.org/english/cluster/",
    )
    assert web.fetch(old.headers["location"]).status == 200
    assert web.fetch("http://namicpa.jp/").headers["location"] == "https://namicpa.com/"


def test_soft_404_parked_hijacked_and_bot_wall_pages(web: SimulatedWeb) -> None:
    soft = web.fetch("http://www.it-shinryo.org/en/index.html")
    assert soft.status == 200 and "ページが見つかりません" in soft.body.decode()
    parked = web.fetch("http://www.as-if.jp/any/path.html")
    assert parked.status == 200 and "このドメインは売却中です" in parked.body.decode()
    assert "オンラインカジノ" in web.fetch("http://www.npo-rsc.org/cluster/").body.decode()
    wall = web.fetch("https://greaternagoya.org/en/")
    assert (wall.status, wall.headers["cf-mitigated"]) == (503, "challenge")
    assert b"Just a moment..." in wall.body and "x-squid-error" not in wall.headers


def test_robots_closes_members_folder_that_the_home_page_links_to(web: SimulatedWeb) -> None:
    robots = web.fetch("https://tamaweb.or.jp/robots.txt").body.decode()
    home = web.fetch("https://tamaweb.or.jp/")
    assert "Disallow: /members/" in robots
    assert 'href="/members/login.html"' in home.body.decode()
    modified = parsedate_to_datetime(home.headers["last-modified"]).timestamp()
    assert abs(modified - time.time()) < 5  # Last-Modified is "now" on every request
    assert "etag" not in home.headers


def test_frameset_site_enters_through_meta_refresh_frames_and_iframe(web: SimulatedWeb) -> None:
    entry = web.fetch("http://www.k-rip.gr.jp/").body.decode()
    frames = web.fetch("http://www.k-rip.gr.jp/top.html").body.decode()
    main = web.fetch("http://www.k-rip.gr.jp/main.html").body.decode()
    assert 'http-equiv="refresh" content="0;URL=top.html"' in entry
    assert '<frame src="main.html"' in frames and '<iframe src="news.html"' in main


def test_calendar_trap_never_ends(web: SimulatedWeb) -> None:
    url = "https://www.noastec.jp/event/calendar.php?ym=2026-11"
    for _ in range(15):
        page = web.fetch(url).body.decode()
        previous = re.search(r'href="([^"]+)">前の月', page)
        assert previous, page
        url = "https://www.noastec.jp" + previous[1]
    assert url.endswith("ym=2025-08")


def test_a_500_recovers_on_retry_and_fails_again_next_night(web: SimulatedWeb) -> None:
    statuses = [web.fetch("https://www.crirc.jp/").status for _ in range(2)]
    web.set_phase(2)
    statuses.append(web.fetch("https://www.crirc.jp/").status)
    assert statuses == [500, 200, 500]


def test_slow_page_is_held_past_a_client_timeout(web: SimulatedWeb) -> None:
    with pytest.raises(TimeoutError):
        web.fetch("https://hai.or.jp/optronics/report/measurement.html", timeout=0.3)
    assert web.fetch("https://hai.or.jp/optronics/").status == 200


def test_oversized_page_announces_its_size(web: SimulatedWeb) -> None:
    page = web.fetch("https://www.techakodate.or.jp/report/annual.html")
    assert int(page.headers["content-length"]) == len(page.body) >= 12 * 1024 * 1024


def test_phases_change_content_and_failures(web: SimulatedWeb) -> None:
    first = {
        "yonezawa": web.fetch("http://y-sansoukyo.jp/").status,
        "pvc": web.fetch("http://www.fuji-pvc.jp/").body.decode(),
        "yrp": web.fetch("http://www.yrp.co.jp/").body.decode(),
        "kawasaki": web.fetch("https://www.kawasaki-gi.jp/english/").body.decode(),
    }
    web.set_phase(3)
    dark = web.fetch("http://y-sansoukyo.jp/")
    assert first["yonezawa"] == 200 and dark.headers["x-squid-error"] == "ERR_CONNECT_FAIL 111"
    assert "第5次戦略計画" not in first["pvc"]
    assert "第5次戦略計画" in web.fetch("http://www.fuji-pvc.jp/").body.decode()
    assert "Horizon Europe" in first["yrp"]
    assert "Horizon Europe" not in web.fetch("http://www.yrp.co.jp/").body.decode()
    assert '<html lang="ja">' in first["kawasaki"]
    english = web.fetch("https://www.kawasaki-gi.jp/english/")
    assert english.status == 301
    assert '<html lang="en">' in web.fetch(english.headers["location"]).body.decode()


def test_unchanged_site_serves_identical_validators_on_a_later_night(web: SimulatedWeb) -> None:
    before = web.fetch("https://osaka-bio.jp/news/").headers
    web.set_phase(4)
    revisit = web.fetch("https://osaka-bio.jp/news/", headers={"If-None-Match": before["etag"]})
    assert revisit.status == 304


def seed_outcome(web: SimulatedWeb, url: str) -> Outcome:
    """The outcome a crawler should record for the first request of a seed URL."""
    try:
        page = web.fetch(url)
    except ssl.SSLError:
        return Outcome.TLS
    except OSError as error:
        code = re.search(r"ERR_\w+", str(error))
        assert code, error
        squid = code[0]
    else:
        squid = page.headers.get("x-squid-error", "").split(" ")[0]
        if not squid:
            return Outcome.HTTP_5XX if page.status >= 500 else Outcome.OK
    return {
        "ERR_DNS_FAIL": Outcome.DNS,
        "ERR_CONNECT_FAIL": Outcome.REFUSED,
        "ERR_READ_TIMEOUT": Outcome.TIMEOUT,
    }[squid]


@pytest.mark.parametrize("phase", [1, 2, 3, 4])
def test_expected_outcomes_match_what_the_proxy_serves(web: SimulatedWeb, phase: int) -> None:
    web.set_phase(phase)
    for cluster in web.clusters:
        if cluster.id == "crirc":
            continue  # its first answer of a night is a deliberate 500
        expected = cluster.expect[phase]
        assert seed_outcome(web, cluster.urls[0]) == expected.outcome, cluster.id
        if expected.outcome is Outcome.OK and expected.last_update and not expected.parked:
            assert expected.last_update <= Night(phase, TODAY).date, cluster.id


def test_expectations_cover_the_monitor_cases(web: SimulatedWeb) -> None:
    statuses = {(c.id, p): c.expect[p].status for c in web.clusters for p in c.expect}
    assert statuses[("miyagi-nga", 2)] == "unknown"
    assert statuses[("miyagi-nga", 3)] == "unreachable"
    assert [statuses[("yonezawa", p)] for p in (1, 2, 3, 4)] == ["active"] * 3 + ["unreachable"]
    assert [statuses[("pharma-valley", p)] for p in (1, 2)] == ["dormant", "active"]
    assert [statuses[("asif", p)] for p in (1, 2)] == ["unknown", "parked"]
    kinds = {e.english_site for c in web.clusters for e in c.expect.values()}
    assert {"active", "static", "none"} <= kinds
    categories = {e.internationalisation for c in web.clusters for e in c.expect.values()}
    assert {
        "eu_recent",
        "eu_past",
        "asia_america_only",
        "open_unspecified",
        "no_info",
    } <= categories


def test_write_seeds_follows_the_seeds_schema(web: SimulatedWeb, tmp_path: Path) -> None:
    path = web.write_seeds(tmp_path / "seeds.yaml")
    clusters = yaml.safe_load(path.read_text("utf-8"))["clusters"]
    ids = [c["id"] for c in clusters]
    assert len(ids) == len(set(ids)) == len(web.clusters) >= 20
    allowed = {"id", "name", "name_ja", "sector", "prefecture", "urls", "source"}
    for entry in clusters:
        assert set(entry) <= allowed and re.fullmatch(r"[a-z0-9-]+", entry["id"])
        assert entry["sector"] in SECTORS
        assert entry["urls"] and all(re.match(r"https?://[^/]+/", u) for u in entry["urls"])
    assert (
        clusters[ids.index("fbri-kobe")]["urls"][0] == "http://www.ibri-kobe.org/english/cluster/"
    )


def test_generated_web_serves_linked_pages_with_validators() -> None:
    with SimulatedWeb.generated(sites=3, pages_per_site=5, latency=0.0, today=TODAY) as web:
        assert [c.urls[0] for c in web.clusters][-1] == "http://www.gen0002.example.jp/"
        home = web.fetch("http://www.gen0001.example.jp/")
        links = re.findall(r'href="(/p/\d+\.html)"', home.body.decode())
        assert len(links) == 4
        page = web.fetch("http://www.gen0001.example.jp" + links[-1])
        assert page.status == 200 and page.headers["etag"] and page.headers["last-modified"]
