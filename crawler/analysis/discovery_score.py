"""How much a candidate looks like a cluster organisation, and why: every point with its evidence.

In: the candidate's host, its home page (title, site name, text) if it could be fetched, and
the links that named it (who linked, anchor, sentence). Out: a Judgement: score, names, a
guessed sector and prefecture, and the list of conclusions each with its evidence. The rules
and word lists are data (data/discovery.yaml), beside the EU lexicon. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clusterwatch.crawler.analysis.discovery_links import RULES_FILE
from clusterwatch.crawler.analysis.lexicon import load

_TITLE_PARTS = re.compile(r"\s*[|｜:：/／]\s*|\s+[-–—]\s+")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@dataclass(frozen=True)
class Sighting:
    """One page that links to the candidate."""

    source: str  # a cluster id, or "hub:<url>"
    url: str
    anchor: str
    snippet: str


@dataclass(frozen=True)
class HomePage:
    url: str
    title: str | None
    text: str


@dataclass(frozen=True)
class Judgement:
    score: float
    name: str | None
    name_ja: str | None
    sector: str | None
    prefecture: str | None
    evidence: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)


def _has(text: str, word: str) -> bool:
    if word.isascii():
        return re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text, re.I) is not None
    return word in text


def _names(title: str | None) -> tuple[str | None, str | None]:
    """(English name, Japanese name) from a title such as '○○協議会 | XX Council'."""
    parts = [p for p in _TITLE_PARTS.split(title or "") if p.strip()]
    name_ja = next((p for p in parts if _JAPANESE.search(p)), None)
    name = next((p for p in parts if not _JAPANESE.search(p)), None)
    return name, name_ja


def _words(text: str, words: Sequence[str]) -> list[str]:
    return [w for w in words if _has(text, w)]


def _name_points(title: str, rules: Mapping[str, Any], out: list[dict[str, Any]]) -> float:
    spec = rules["name_words"]
    found = _words(title, spec["words"])
    points = 0.0
    if found:
        points = min(spec["first"] + spec["each_more"] * (len(found) - 1), spec["cap"])
        out.append({"rule": "name", "points": points, "words": found, "text": title})
    for kind, spec in rules["not_cluster_words"].items():
        found = _words(title, spec["words"])
        if found:
            points += spec["weight"]
            out.append({"rule": f"not_{kind}", "points": spec["weight"], "words": found})
    return points


def _capped(
    rule: str, text: str, spec: Mapping[str, Any], out: list[dict[str, Any]], where: str
) -> float:
    found = _words(text, spec["words"])
    if not found:
        return 0.0
    points = float(min(spec["each"] * len(found), spec["cap"]))
    out.append({"rule": rule, "points": points, "words": found, "where": where})
    return points


def _domain(host: str, rules: Mapping[str, Any], out: list[dict[str, Any]]) -> float:
    suffixes = sorted(rules["domains"], key=len, reverse=True)
    for suffix in suffixes:
        if host.endswith(suffix):
            points = float(rules["domains"][suffix])
            out.append({"rule": "domain", "points": points, "suffix": suffix, "host": host})
            return points
    return 0.0


def guess_sector(title: str, text: str) -> tuple[str | None, dict[str, Any] | None]:
    spec = load(RULES_FILE)["sectors"]
    hits: Counter[str] = Counter()
    words: dict[str, list[str]] = {}
    for sector, terms in spec["words"].items():
        for term in terms:
            count = spec["title_weight"] * _has(title, term) + _has(text, term)
            if count:
                hits[sector] += count
                words.setdefault(sector, []).append(term)
    if not hits:
        return None, None
    sector, count = hits.most_common(1)[0]
    if count < spec["min_hits"]:
        return None, None
    return sector, {"rule": "sector", "sector": sector, "words": words[sector], "hits": count}


def guess_prefecture(*texts: str) -> tuple[str | None, dict[str, Any] | None]:
    """The first prefecture named in the title, else at the text's postal address (〒), else
    anywhere in the text or the links that named it."""
    prefectures: Mapping[str, str] = load(RULES_FILE)["prefectures"]
    for text in texts:
        at = text.find("〒")
        places = [text[at : at + 40]] if at >= 0 else []
        for place in (*places, text):
            found = [(place.find(ja), ja) for ja in prefectures if ja in place]
            if found:
                ja = min(found)[1]
                return prefectures[ja], {"rule": "prefecture", "found": ja, "text": place[:80]}
    return None, None


def judge(host: str, home: HomePage | None, sightings: Sequence[Sighting]) -> Judgement:
    """Score a candidate: its name, what it says it does, who links to it and how, its domain."""
    rules = load(RULES_FILE)
    evidence: list[dict[str, Any]] = []
    title = (home.title or "") if home else ""
    text = home.text if home else ""
    if home is None:
        evidence.append({"rule": "home_page", "points": 0.0, "why": "not fetched or failed"})
        title = " ".join(dict.fromkeys(s.anchor for s in sightings))
    score = _name_points(title, rules, evidence)
    score += _capped("activity", text, rules["activity_words"], evidence, "home page")
    around = " ".join(f"{s.anchor} {s.snippet}" for s in sightings)
    score += _capped("link_words", around, rules["link_words"], evidence, "links to it")
    sources = sorted({s.source for s in sightings})
    if len(sources) > 1:
        spec = rules["pointers"]
        points = float(min(spec["each_more"] * (len(sources) - 1), spec["cap"]))
        score += points
        evidence.append({"rule": "pointers", "points": points, "sources": sources})
    score += _domain(host, rules, evidence)
    name, name_ja = _names(home.title if home else (sightings[0].anchor if sightings else None))
    sector, why_sector = guess_sector(title, text)
    prefecture, why_prefecture = guess_prefecture(title, text, around)
    evidence += [why for why in (why_sector, why_prefecture) if why]
    return Judgement(round(score, 2), name, name_ja, sector, prefecture, tuple(evidence))
