"""clusterwatch.crawler.spiders.clusters callbacks, unit-tested with HtmlResponse (no network, no reactor)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse

from clusterwatch.crawler.context import CrawlContext
from clusterwatch.crawler.items import PageItem, SiteDone
from clusterwatch.crawler.links import ENGLISH_PRIORITY, NEWS_PRIORITY, SITEMAP_PRIORITY
from clusterwatch.crawler.options import CrawlOptions
from clusterwatch.crawler.robots import ProtegoWithSitemaps
from clusterwatch.crawler.seeds import parse_seeds
from clusterwatch.crawler.spiders.clusters import ClusterSpider

SEEDS = """
clusters:
  - id: yrp
    name: Yokosuka Research Park
    sector: ict
    urls: [http://www.yrp.co.jp/]
"""
HOME = (
    "<html><head><meta charset='shift_jis'><title>YRP</title>"
    "<link rel='alternate' type='application/rss+xml' href='/rss.xml'></head><body>"
    "<a href='/news/'>お知らせ</a> <a href='/en/index.html'>English</a> <a href='/access.html'>"
    "アクセス</a> <a href='http://elsewhere.example.jp/'>外部</a> <a href='/report.pdf'>PDF</a>"
    "<iframe src='/frame.html'></iframe></body></html>"
).encode("shift_jis")


@pytest.fixture
def spider(tmp_path: Path) -> ClusterSpider:
    options = CrawlOptions(db_url="sqlite://", run_id=1, page_budget=5)
    context = CrawlContext(options, parse_seeds(SEEDS), sessions=None)  # type: ignore[arg-type]
    return ClusterSpider(context)


def home_response(spider: ClusterSpider) -> HtmlResponse:
    spider.frontiers["yrp"].admit("http://www.yrp.co.jp/", 0, is_seed=True)
    request = Request("http://www.yrp.co.jp/", meta={"cluster_id": "yrp", "seed_index": 0})
    return HtmlResponse(
        "http://www.yrp.co.jp/", body=HOME, request=request, headers={"Content-Type": "text/html"}
    )


def test_a_page_yields_its_item_then_same_site_links_news_first(spider: ClusterSpider) -> None:
    spider.frontiers["yrp"].budget = 10
    output = list(spider.parse(home_response(spider)))
    page = output[0]
    assert isinstance(page, PageItem) and page.is_seed and page.seed_index == 0
    requests = {r.url: r for r in output if isinstance(r, Request)}
    assert "http://elsewhere.example.jp/" not in requests
    assert "http://www.yrp.co.jp/report.pdf" not in requests
    assert requests["http://www.yrp.co.jp/news/"].priority == NEWS_PRIORITY
    assert requests["http://www.yrp.co.jp/en/index.html"].priority == ENGLISH_PRIORITY
    assert "http://www.yrp.co.jp/frame.html" in requests
    assert "http://www.yrp.co.jp/rss.xml" in requests
    assert all(r.meta["cluster_id"] == "yrp" and r.dont_filter for r in requests.values())


def test_the_budget_caps_links_and_the_last_callback_reports_the_site_done(
    spider: ClusterSpider,
) -> None:
    output = list(spider.parse(home_response(spider)))
    followed = [r for r in output if isinstance(r, Request)]
    assert len(followed) == 4  # budget 5: the home page and four links, the feed first
    assert followed[0].url == "http://www.yrp.co.jp/rss.xml"
    assert "http://www.yrp.co.jp/frame.html" not in {r.url for r in followed}  # lowest, last
    assert not any(isinstance(o, SiteDone) for o in output)
    for request in followed:
        response = TextResponse(request.url, body=b"", request=request)
        tail = list(spider.parse(response))
    assert isinstance(tail[-1], SiteDone) and tail[-1].cluster_id == "yrp"


def test_a_seed_response_follows_the_sitemaps_its_hosts_robots_txt_declares(
    spider: ClusterSpider,
) -> None:
    robots = b"User-agent: *\nDisallow: /members/\nSitemap: http://www.yrp.co.jp/sitemap.xml\n"
    spider.robots_parsed(ProtegoWithSitemaps(robots, spider), Request("http://www.yrp.co.jp/r"))
    spider.frontiers["yrp"].budget = 10
    news = Request("http://www.yrp.co.jp/news/", meta={"cluster_id": "yrp", "seed_index": None})
    spider.frontiers["yrp"].admit(news.url, 1)
    body, headers = b"<html><a href='/a.html'>a</a></html>", {"Content-Type": "text/html"}
    page = HtmlResponse(news.url, body=body, request=news, headers=headers)
    followed = [r.url for r in spider.parse(page) if isinstance(r, Request)]
    assert followed == ["http://www.yrp.co.jp/a.html"]  # only a seed response adds sitemaps
    requests = [r for r in spider.parse(home_response(spider)) if isinstance(r, Request)]
    sitemap = [r for r in requests if r.url == "http://www.yrp.co.jp/sitemap.xml"]
    assert len(sitemap) == 1 and sitemap[0].priority == SITEMAP_PRIORITY


def test_seeds_start_only_while_few_sites_are_open() -> None:
    """Memory must not grow with the number of seeds: a seed starts when a site finishes."""
    seeds = "clusters:\n" + "".join(
        f"  - {{id: s{n}, name: S{n}, sector: ict, urls: ['http://s{n}.example.jp/']}}\n"
        for n in range(10)
    )
    options = CrawlOptions(db_url="sqlite://", run_id=1, concurrent_sites=1)
    many = ClusterSpider(CrawlContext(options, parse_seeds(seeds), sessions=None))  # type: ignore[arg-type]

    async def first_requests() -> list[str]:
        seeds_out = many.start().__aiter__()
        started = [(await seeds_out.__anext__()).url for _ in range(many.max_open_sites)]
        waiting = asyncio.ensure_future(seeds_out.__anext__())
        await asyncio.sleep(0.2)
        assert not waiting.done()  # every open site is unfinished: no new seed
        request = Request(started[0], meta={"cluster_id": "s0", "seed_index": 0})
        response = TextResponse(started[0], body=b"", request=request)
        assert any(isinstance(out, SiteDone) for out in many.parse(response))
        started.append((await asyncio.wait_for(waiting, 5)).url)
        return started

    # a thread of its own: another test may have left an event loop running in this one
    with ThreadPoolExecutor(1) as thread:
        started = thread.submit(lambda: asyncio.run(first_requests())).result()
    assert started[-1] == f"http://s{many.max_open_sites}.example.jp/"
