"""The simulated web's vocabulary: a night, a page, a site's state on one night, a cluster scenario.

Scenario modules describe each cluster as a function from a `Night` to the `SiteState` of each of
its hosts; the proxy only ever serves `SiteState`s. Everything here is immutable, so a phase switch
is one reference swap and the proxy's threads never see half a phase.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

# How a host answers on one night, in the crawler's words (ok, dns, refused, timeout, tls,
# http_4xx, http_5xx): one vocabulary for the simulated web and the crawler.
from clusterwatch.vocabulary import Outcome as Outcome


@dataclass(frozen=True)
class Night:
    """One crawl night. Phase 1 is `today`; phase N is N-1 days later.

    Content dates count back from `today`, not from the night, so a site nobody touches serves the
    same bytes every night (and answers 304 to a revisit). No content published on a later night
    is dated after `today`: tests that crawl every phase on one real day see no future dates.
    """

    phase: int
    today: date

    @property
    def date(self) -> dt.date:
        return self.today + timedelta(days=self.phase - 1)

    def ago(self, days: int) -> dt.date:
        """A content date `days` before phase 1's night (negative: in the future)."""
        return self.today - timedelta(days=days)


class Quirk(StrEnum):
    """Per-page behaviours the proxy applies at request time."""

    FAIL_FIRST = "fail_first"  # first request of the phase answers 500, the next ones 200
    VOLATILE_LAST_MODIFIED = "volatile_last_modified"  # Last-Modified = now, no ETag
    SLOW = "slow"  # held for the web's `slow_seconds` before answering


@dataclass(frozen=True)
class Page:
    """One resource: bytes exactly as served, plus how to serve them."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    modified: date | None = None  # Last-Modified; None: no validators at all
    headers: tuple[tuple[str, str], ...] = ()
    quirks: frozenset[Quirk] = frozenset()


@dataclass(frozen=True)
class SiteState:
    """A host on one night: a failure, a whole-host redirect, or pages.

    `dynamic` answers paths that are not in `pages` (a calendar trap); it gets path and query.
    """

    outcome: Outcome = Outcome.OK
    pages: Mapping[str, Page] = field(default_factory=dict)
    redirect_to: str | None = None  # base URL; the request path is appended
    dynamic: Callable[[str, str], Page | None] | None = None


@dataclass(frozen=True)
class Expectation:
    """What a correct crawl plus analysis concludes about a cluster on one night.

    `status` is the monitor's status after one run per phase from phase 1 up to this one, with the
    default settings of issue 4 (unreachable after 3 failing runs, parked after 2 parked runs).
    None means "no claim": fields that need the organisation's own pages are None on nights the
    site fails, and for parked, hijacked and bot-walled sites.
    """

    outcome: Outcome
    status: str
    main_language: str | None = None
    english_site: str | None = None  # active | static | none
    internationalisation: str | None = None
    last_update: date | None = None  # newest credible content date
    moved_to: str | None = None  # the new host, when the home page redirects off-site
    parked: bool = False
    hijacked: bool = False
    blocked: bool = False  # a bot wall answered instead of the site
    forbidden_paths: tuple[str, ...] = ()  # robots.txt closes these: never request them
    notes: str = ""


HostBuilder = Callable[[Night], SiteState]


@dataclass(frozen=True)
class Scenario:
    """A cluster organisation as its scenario module defines it: hosts and verdicts per night."""

    id: str
    name: str
    sector: str
    urls: tuple[str, ...]
    hosts: Mapping[str, HostBuilder]
    expect: Callable[[Night], Expectation]
    name_ja: str | None = None
    prefecture: str | None = None
    source: str | None = None
    scenario: str = ""  # one line: what this site exercises


@dataclass(frozen=True)
class Cluster:
    """A simulated cluster as tests see it: seed data and the expected verdict per phase."""

    id: str
    name: str
    sector: str
    urls: tuple[str, ...]
    hosts: tuple[str, ...]
    expect: Mapping[int, Expectation]
    scenario: str
    name_ja: str | None = None
    prefecture: str | None = None
    source: str | None = None
