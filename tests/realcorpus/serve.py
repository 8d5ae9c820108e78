"""Serve the real corpus pages as sites through the simulated web's proxy.

The pages (labelled and content pages, built by tests/realcorpus/build.py) are dealt into
SITES sites, www.realNN.example.org, byte for byte as their repositories saved them, with
"text/html" and no charset (nothing was saved of their headers): each site's first page is its
home page, and its robots.txt names a sitemap of the others, so the crawler finds them all.
Every page with control characters is put on a home page, where the crawl is sure to meet it.

Run from the repository root: python -m tests.realcorpus.serve [--port 8899] [--seeds PATH]
[--sites 36]
then crawl it: http_proxy=http://127.0.0.1:8899 clusterwatch crawl --seeds PATH
"""

from __future__ import annotations

import argparse
import threading
from datetime import date

from clusterwatch.simweb.model import Expectation, HostBuilder, Night, Outcome, Scenario, SiteState
from clusterwatch.simweb.sitekit import SiteBuilder
from clusterwatch.simweb.web import SimulatedWeb
from tests.realcorpus.build import content_entries, labelled_entries, page_path

SITES = 36
# What the served pages say of their type: no charset, as the corpus kept no headers.
CONTENT_TYPE = "text/html"
# Control characters that lxml refuses in element text (the crash of issue 9).
CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def has_control_characters(body: bytes) -> bool:
    return any(byte in body for byte in CONTROL_BYTES)


def corpus_bodies() -> list[bytes]:
    """Every built page, pages with control characters first."""
    paths = [page_path(entry) for entry in [*labelled_entries(), *content_entries()]]
    bodies = [path.read_bytes() for path in paths if path.exists()]
    return sorted(bodies, key=lambda body: not has_control_characters(body))


def _host(base: str, bodies: list[bytes], saved: date, validators: bool) -> HostBuilder:
    def build(night: Night) -> SiteState:
        site = SiteBuilder(base)
        modified = saved if validators else None  # None: no ETag, no Last-Modified
        for n, body in enumerate(bodies):
            site.raw("/" if n == 0 else f"/p/{n}.html", body, CONTENT_TYPE, modified)
        site.sitemap(saved)
        site.robots(sitemap=True)
        return site.state()

    return build


def _expect(night: Night) -> Expectation:
    return Expectation(outcome=Outcome.OK, status="unknown")


def scenarios(sites: int = SITES, validators: bool = True) -> tuple[Scenario, ...]:
    """The corpus dealt into ``sites`` sites (round robin: control-character pages lead); with
    ``validators`` False the pages carry no ETag or Last-Modified, as most Japanese public sites."""
    bodies = corpus_bodies()
    if not bodies:
        raise SystemExit("real corpus pages not built: run python3 tests/realcorpus/build.py")
    saved = date(2024, 1, 1)
    result = []
    for n in range(min(sites, len(bodies))):
        host = f"www.real{n:02d}.example.org"
        result.append(
            Scenario(
                id=f"real-{n:02d}",
                name=f"Real corpus site {n}",
                sector="other",
                urls=(f"http://{host}/",),
                hosts={host: _host(f"http://{host}", bodies[n::sites], saved, validators)},
                expect=_expect,
                scenario="real pages from the corpus, served byte for byte",
            )
        )
    return tuple(result)


def real_web(sites: int = SITES, port: int = 0, validators: bool = True) -> SimulatedWeb:
    return SimulatedWeb(scenarios=scenarios(sites, validators), port=port)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8899)
    parser.add_argument("--sites", type=int, default=SITES)
    parser.add_argument("--seeds", default=None, help="also write a seeds.yaml here")
    args = parser.parse_args()
    with real_web(args.sites, args.port) as web:
        if args.seeds:
            web.write_seeds(args.seeds)
        print(f"real corpus as {args.sites} sites at {web.proxy_url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
