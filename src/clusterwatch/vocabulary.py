"""The words every package shares: outcomes, statuses, grades, categories, flag kinds, defaults.

A value stored in the database as text (a site's outcome, a cluster's status, a flag's kind) is
written by one package and read by another. Retyped by hand in each, the copies drifted: the
crawler produced `too_large` and the status rules knew neither that word nor what it meant, so a
site whose home page was oversized stayed "active, fresh". Here each word is spelled once; the
crawler, the monitor, the store and the simulated web import it. No dependencies, no I/O: the
pure analysis may import it too. The values are the stored strings and must not change.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """How one site's run ended (site_results.outcome), or why one fetch failed."""

    OK = "ok"
    SLOW = "slow"  # the home page answered, the site's time budget ran out before the rest
    DNS = "dns"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    TLS = "tls"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    TOO_LARGE = "too_large"  # the response passed max_response_bytes and was cut off
    BLOCKED_ADDRESS = "blocked_address"  # refused by us: a loopback, private, ... address
    ROBOTS = "robots"  # robots.txt closes the page to us
    ROBOTS_ERROR = "robots_error"  # robots.txt answered 5xx or not at all: RFC 9309 says keep out
    BLOCKED = "blocked"  # a bot wall (CDN or WAF challenge), judged by the analysis
    OTHER = "other"


# Network-level outcomes: when nearly every site fails with one of these, our network is down.
NETWORK_OUTCOMES = frozenset({Outcome.DNS, Outcome.REFUSED, Outcome.TIMEOUT})


class Status(StrEnum):
    """A cluster's status (cluster_states.status), decided by monitor.status."""

    ACTIVE = "active"
    DORMANT = "dormant"
    UNREACHABLE = "unreachable"
    PARKED = "parked"
    UNKNOWN = "unknown"


class EnglishSite(StrEnum):
    """How much English a site has, weakest first (the order is the grade)."""

    NONE = "none"
    STATIC = "static"
    ACTIVE = "active"


class Category(StrEnum):
    """The 2016 screening's internationalisation category, weakest first (NOT_INTERESTED is a
    curator's word only and stands outside the scale)."""

    NO_INFO = "no_info"
    OPEN_UNSPECIFIED = "open_unspecified"
    ASIA_AMERICA_ONLY = "asia_america_only"
    EU_PAST = "eu_past"
    EU_RECENT = "eu_recent"
    NOT_INTERESTED = "not_interested"


# the analysis' scale of Category, weakest first
CATEGORY_SCALE = tuple(c for c in Category if c is not Category.NOT_INTERESTED)


class FlagKind(StrEnum):
    """What a flag for curators is about (flags.kind); monitor.flag_rules describes each."""

    BECAME_DORMANT = "became_dormant"
    REACTIVATED = "reactivated"
    UNREACHABLE = "unreachable"
    RECOVERED = "recovered"
    PARKED = "parked"
    MOVED = "moved"
    BLOCKED_REDIRECT = "blocked_redirect"
    ENGLISH_SITE_APPEARED = "english_site_appeared"
    ENGLISH_SITE_GONE = "english_site_gone"
    NEW_EU_SIGNAL = "new_eu_signal"
    EU_SIGNAL_GONE = "eu_signal_gone"
    BLOCKED = "blocked"
    LANGUAGE_CHANGED = "language_changed"
    INTERNATIONALISATION_CHANGED = "internationalisation_changed"
    CONTENT_REPLACED = "content_replaced"


class CrawlDefaults:
    """Defaults of the crawl settings, shared by monitor.settings and crawler.options."""

    USER_AGENT = "clusterwatch/0.1"
    CRAWL_DELAY = 1.0
    PAGE_BUDGET = 40
    CRAWL_DEPTH = 3
    CONCURRENT_SITES = 16
    DOWNLOAD_TIMEOUT = 30.0
    MAX_RESPONSE_BYTES = 5_000_000
    RETRY_TIMES = 2
    DEGRADED_FAILURE_RATIO = 0.9
    SITE_TIME_BUDGET = 600.0  # seconds of wall clock one site may take
    CRAWL_TIME_LIMIT = 4 * 3600  # seconds one crawl may take, scheduled or manual
    ALLOWED_ADDRESSES = ""  # comma-separated networks the address guard lets through
