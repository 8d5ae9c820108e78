"""Why a site failed, in words a curator reads: one sentence per outcome, the detail cleaned.

The crawler stores what went wrong as it was raised (site_results.error, and the status rules
quote it in cluster_states.status_reason and in flag evidence): Twisted failure reprs, Python
bytes literals, the forward proxy's loopback address. That text is evidence and stays stored as
it is; every place that shows a failure to a person asks this module instead. `Reason.sentence`
comes from a fixed vocabulary (SENTENCES, one per Outcome, with the timeout seconds or the HTTP
status filled in); `Reason.detail` is the stored text after `technical_detail`, for the web UI's
<details> element and the JSON `*_detail` keys, never for the CLI table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.request import getproxies

from clusterwatch.vocabulary import CrawlDefaults, FlagKind, Outcome

# One sentence per outcome; {seconds} and {status} are filled in when known.
SENTENCES: Mapping[Outcome, str] = {
    Outcome.OK: "the site answered",
    Outcome.SLOW: "the site's time budget ran out",
    Outcome.DNS: "the domain does not resolve",
    Outcome.REFUSED: "the connection was refused",
    Outcome.TIMEOUT: "timed out after {seconds} s",
    Outcome.TLS: "TLS handshake failed",
    Outcome.HTTP_4XX: "the server answered {status}",
    Outcome.HTTP_5XX: "the server answered {status}",
    Outcome.TOO_LARGE: "the response was larger than the size limit, so it was cut off",
    Outcome.BLOCKED_ADDRESS: "the address is not public: refused",
    Outcome.ROBOTS: "robots.txt does not let clusterwatch read the site",
    Outcome.ROBOTS_ERROR: "robots.txt could not be read, so nothing was fetched",
    Outcome.BLOCKED: "the site answers only with a bot-check page",
    Outcome.OTHER: "the fetch failed for another reason",
}
# the status a sentence names when the stored text does not carry the number
UNKNOWN_STATUS: Mapping[Outcome, str] = {
    Outcome.HTTP_4XX: "with a 4xx error",
    Outcome.HTTP_5XX: "with a 5xx error",
}
UNKNOWN_OUTCOME = "the fetch failed ({outcome})"
HOME_FAILED_ELSEWHERE = "the home page failed ({sentence}); another of its addresses answered"
PROXY_WORDS = "the proxy"

# "Getting https://x/ took longer than 30.0 seconds." (Scrapy's download timeout)
_TOOK_LONGER = re.compile(r"took longer than (\d+(?:\.\d+)?) seconds")
_TIME_BUDGET = re.compile(r"site time budget of [\d.]+ s (?:ran out|spent)")
# what crawler.outcome writes: "home page URL: KIND" or "home page URL: KIND (MESSAGE)"
_HOME_PAGE = re.compile(r"home page \S+: ([a-z_0-9]+)")
# what monitor.status writes: "failing: 1/3 failed runs, last: KIND (ERROR)"
_STATUS_LAST = re.compile(r"(?s)^(?P<head>.*?, last: )(?P<kind>[a-z_0-9]+)(?: \((?P<error>.*)\))?$")

# Python reprs that leak out of str(exception)
_FAILURE_REPR = re.compile(r"<(?:[\w.]+\.)?Failure (?:instance: )?(?P<inner>.*?)>(?=\]|,|\)|$)")
_SSL_TUPLE = re.compile(r"\('([^']*)', '([^']*)', '([^']*)'\)")
_BYTES = re.compile(r"(?<![\w'\"])b(['\"])(?P<body>.*?)\1")
_TUNNEL = re.compile(
    r"Could not open CONNECT tunnel with proxy \S+ \[\{'status': (\d+), 'reason': b?'([^']*)'\}\]"
)
_LOOPBACK = re.compile(r"(?:https?://)?127(?:\.\d{1,3}){3}:\d+/?")
_GUARD_REFUSAL = re.compile(r"refused (\S+):")
_LIST_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_KEPT = re.compile("\x00(\\d+)\x00")
MAX_NESTING = 3  # list brackets unwrapped, innermost first


@dataclass(frozen=True)
class Reason:
    """A sentence from SENTENCES (or a status rule's words around one) and the cleaned detail."""

    sentence: str
    detail: str | None = None


def configured_proxies() -> tuple[str, ...]:
    """The forward proxies the crawl uses (http_proxy, https_proxy), as written and as host:port."""
    found: list[str] = []
    for scheme, value in getproxies().items():
        if scheme in ("http", "https") and value:
            found.append(value.rstrip("/"))
            netloc = urlsplit(value if "://" in value else f"http://{value}").netloc
            found.append(netloc.rpartition("@")[2])
    return tuple(sorted({p for p in found if p}, key=len, reverse=True))


def outcome_sentence(
    outcome: str, *, http_status: int | None = None, seconds: float | None = None
) -> str:
    """The sentence for `outcome`; an outcome this module does not know still gets one."""
    try:
        known = Outcome(outcome)
    except ValueError:
        return UNKNOWN_OUTCOME.format(outcome=outcome)
    status = str(http_status) if http_status else UNKNOWN_STATUS.get(known, "")
    limit = CrawlDefaults.DOWNLOAD_TIMEOUT if seconds is None else seconds
    return SENTENCES[known].format(status=status, seconds=f"{limit:g}")


def technical_detail(text: str | None, proxies: Iterable[str] | None = None) -> str:
    """`text` without Python reprs and with every proxy address replaced by "the proxy".

    Twisted's `<twisted.python.failure.Failure OpenSSL.SSL.Error: [(...)]>` keeps its message,
    OpenSSL's error tuples become "lib: reason", `b'ERR_DNS_FAIL'` becomes ERR_DNS_FAIL, and a
    refused CONNECT tunnel names the proxy's answer. URLs the address guard refused stay: where
    a site tried to send us is evidence, not our proxy.
    """
    if not text:
        return ""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[1])
        return f"refused \x00{len(kept) - 1}\x00:"

    cleaned = _GUARD_REFUSAL.sub(keep, text)
    cleaned = _TUNNEL.sub(r"the proxy could not open a tunnel: \1 \2", cleaned)
    cleaned = _BYTES.sub(lambda m: m["body"], cleaned)
    cleaned = _FAILURE_REPR.sub(lambda m: m["inner"], cleaned)
    cleaned = _SSL_TUPLE.sub(lambda m: ": ".join(p for p in m.groups() if p), cleaned)
    for _ in range(MAX_NESTING):
        cleaned = _LIST_BRACKETS.sub(r"\1", cleaned)
    for proxy in configured_proxies() if proxies is None else proxies:
        cleaned = cleaned.replace(proxy, PROXY_WORDS)
    cleaned = _LOOPBACK.sub(PROXY_WORDS, cleaned)
    cleaned = _KEPT.sub(lambda m: kept[int(m[1])], cleaned)
    return " ".join(cleaned.split())


def site_reason(
    outcome: str,
    http_status: int | None = None,
    error: str | None = None,
    *,
    timeout: float | None = None,
) -> Reason:
    """One site_results row: why the site failed (or how it answered despite a failure)."""
    detail = technical_detail(error) or None
    if outcome in (Outcome.OK, Outcome.SLOW) and error:
        home = _HOME_PAGE.search(error)
        if home is not None:
            failed = _sentence(home[1], None, error, timeout)
            return Reason(HOME_FAILED_ELSEWHERE.format(sentence=failed), detail)
    return Reason(_sentence(outcome, http_status, error, timeout), detail)


def status_reason(text: str | None, *, timeout: float | None = None) -> Reason:
    """A stored cluster_states.status_reason: its failure part as a sentence, the rest kept."""
    if not text:
        return Reason("")
    match = _STATUS_LAST.match(text)
    if match is None:
        cleaned = technical_detail(text)
        return Reason(cleaned, None)
    error = match["error"]
    sentence = match["head"] + _sentence(match["kind"], None, error, timeout)
    return Reason(sentence, technical_detail(error) or None)


# flag kinds whose evidence text is a stored failure (the status reason or the site's error)
FAILURE_EVIDENCE: Mapping[str, Outcome | None] = {
    FlagKind.UNREACHABLE: None,  # the status reason
    FlagKind.BLOCKED_REDIRECT: Outcome.BLOCKED_ADDRESS,
}


def evidence_reason(kind: str, text: str | None, *, timeout: float | None = None) -> Reason:
    """A flag's evidence text as shown: failures as sentences, anything else as it was."""
    if not text or kind not in FAILURE_EVIDENCE:
        return Reason(text or "")
    outcome = FAILURE_EVIDENCE[kind]
    if outcome is None:
        return status_reason(text, timeout=timeout)
    return site_reason(outcome, None, text, timeout=timeout)


def _sentence(
    outcome: str, http_status: int | None, error: str | None, timeout: float | None
) -> str:
    """The outcome's sentence, refined by what the stored error says (the real seconds, a
    timeout that was the site's time budget)."""
    text = error or ""
    if outcome == Outcome.TIMEOUT and _TIME_BUDGET.search(text):
        return SENTENCES[Outcome.SLOW]
    took = _TOOK_LONGER.search(text)
    seconds = float(took[1]) if took and outcome == Outcome.TIMEOUT else timeout
    return outcome_sentence(outcome, http_status=http_status, seconds=seconds)
