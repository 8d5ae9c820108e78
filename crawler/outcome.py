"""A site's outcome for one run, decided from how its seed URLs were fetched. Pure.

Outcomes: the words of clusterwatch.vocabulary.Outcome. The home page (the first seed URL)
decides, with one exception: when the home page fails but another seed URL answers (a known
new address), the organisation is reachable and the outcome is ok, with the home page's failure
kept in `error`. A home page that redirects to another host is a move: `moved_to` is where it
landed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clusterwatch.crawler.frontier import site_host
from clusterwatch.vocabulary import Outcome

OK_STATUS = range(200, 400)  # 3xx that reached us unredirected (304) means the page is there


@dataclass(frozen=True)
class SeedFetch:
    seed_index: int
    url: str
    status: int | None = None  # the HTTP status, when a response came
    final_url: str | None = None
    failure: str | None = None  # an Outcome value, when no response came
    message: str | None = None
    blocked: bool = False  # a bot wall (CDN/WAF challenge), judged by the analysis

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status in OK_STATUS and not self.blocked

    @property
    def kind(self) -> Outcome:
        if self.failure is not None:
            return Outcome(self.failure)
        if self.blocked:
            return Outcome.BLOCKED
        if self.status is None or self.status in OK_STATUS:
            return Outcome.OK
        return Outcome.HTTP_4XX if self.status < 500 else Outcome.HTTP_5XX


@dataclass(frozen=True)
class SiteOutcome:
    outcome: Outcome
    requested_url: str
    http_status: int | None
    final_url: str | None
    moved_to: str | None
    error: str | None


def site_outcome(fetches: Sequence[SeedFetch]) -> SiteOutcome:
    """The outcome of a site from its seed fetches (at least the home page's)."""
    ordered = sorted(fetches, key=lambda f: f.seed_index)
    home = ordered[0]
    if home.ok:
        return _reached(home, error=None)
    alternative = next((f for f in ordered[1:] if f.ok), None)
    home_error = f"home page {home.url}: {home.kind}" + (
        f" ({home.message})" if home.message else ""
    )
    if alternative is not None:
        return _reached(alternative, error=home_error, requested=home.url, moved=False)
    return SiteOutcome(
        outcome=home.kind,
        requested_url=home.url,
        http_status=home.status,
        final_url=home.final_url,
        moved_to=None,
        error=home_error,
    )


def _reached(
    fetch: SeedFetch, error: str | None, requested: str | None = None, moved: bool = True
) -> SiteOutcome:
    final = fetch.final_url or fetch.url
    is_move = moved and site_host(final) != site_host(fetch.url)
    return SiteOutcome(
        outcome=Outcome.OK,
        requested_url=requested or fetch.url,
        http_status=fetch.status,
        final_url=final,
        moved_to=final if is_move else None,
        error=error,
    )
