"""Which flags one transition raises, and the evidence key that keeps them from repeating.

In: a cluster's state before and after one run (from monitor.status) and the run. Out:
`FlagCandidate`s, each with evidence [{url, text, date}] and an `evidence_key`, a sha256 over
(cluster, kind, normalised evidence). monitor.evaluate drops a candidate whose key already has an
open flag (no duplicates) or a dismissed one (a curator said no to exactly this evidence). Pure.

Flags compare only against a state that has been observed (an ok run analysed): the first
crawl of a cluster is its baseline, not a change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clusterwatch.monitor.identity import same_organisation
from clusterwatch.monitor.status import (
    REASON_BOT_WALL,
    ClusterStateView,
    RunObservation,
    signal_identity,
)
from clusterwatch.vocabulary import EnglishSite, FlagKind, Outcome, Status

# kind -> what it means; the CLI, the digest and the web UI show these descriptions
FLAG_KINDS: dict[FlagKind, str] = {
    FlagKind.BECAME_DORMANT: "was active, now nothing credible within the activity window",
    FlagKind.REACTIVATED: "was dormant or parked, now active again",
    FlagKind.UNREACHABLE: "failed in enough consecutive runs to count as unreachable",
    FlagKind.RECOVERED: "was unreachable, answers again",
    FlagKind.PARKED: "shows a parking, for-sale or takeover page in consecutive runs",
    FlagKind.MOVED: "the home page now redirects to another domain",
    FlagKind.BLOCKED_REDIRECT: (
        "the home page redirects to an address clusterwatch refuses to fetch (loopback, private"
        " network): not followed; check the seed"
    ),
    FlagKind.ENGLISH_SITE_APPEARED: "an English site exists where there was none",
    FlagKind.ENGLISH_SITE_GONE: "the English site is no longer found",
    FlagKind.NEW_EU_SIGNAL: "a new passage about cooperation with a European partner",
    FlagKind.EU_SIGNAL_GONE: "a European cooperation passage seen before is no longer found",
    FlagKind.BLOCKED: "the site answers only with a bot wall (a CDN or WAF challenge)",
    FlagKind.LANGUAGE_CHANGED: "the site's main language changed",
    FlagKind.INTERNATIONALISATION_CHANGED: "the 2016 screening category changed",
    FlagKind.CONTENT_REPLACED: "the home page now names someone else (a lapsed domain, a takeover)",
}
ENGLISH_PRESENT = frozenset({EnglishSite.ACTIVE, EnglishSite.STATIC})
# kinds that describe a state rather than an event: their evidence date is only the day it was
# seen, so it stays out of the key (a dismissed "moved to X" is not raised again the next night
# X is seen); event kinds (unreachable, recovered, ...) keep the date, a new event is a new flag
STATE_KINDS = frozenset(
    {
        FlagKind.MOVED,
        FlagKind.BLOCKED_REDIRECT,
        FlagKind.PARKED,
        FlagKind.BLOCKED,
        FlagKind.ENGLISH_SITE_GONE,
        FlagKind.LANGUAGE_CHANGED,
        FlagKind.INTERNATIONALISATION_CHANGED,
    }
)


@dataclass(frozen=True)
class FlagCandidate:
    """A flag to raise unless its evidence key is already open or dismissed."""

    cluster_id: str
    kind: FlagKind
    run_id: int
    evidence: tuple[dict[str, str | None], ...]
    evidence_key: str


def evidence_item(url: Any, text: Any, day: Any) -> dict[str, str | None]:
    """One piece of evidence in the stored shape {url, text, date}."""
    return {
        "url": str(url) if url else None,
        "text": str(text) if text else None,
        "date": str(day)[:10] if day else None,
    }


def evidence_key(cluster_id: str, kind: str, evidence: tuple[Mapping[str, Any], ...]) -> str:
    """sha256 over cluster, kind and the evidence, whitespace and case squashed out."""
    keep_date = kind not in STATE_KINDS
    normalised = sorted(
        [
            str(item.get("url") or "").strip(),
            _squash(item.get("text")),
            str(item.get("date") or "")[:10] if keep_date else "",
        ]
        for item in evidence
    )
    payload = json.dumps([cluster_id, kind, normalised], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def flags_for(
    cluster_id: str, before: ClusterStateView, after: ClusterStateView, run: RunObservation
) -> list[FlagCandidate]:
    """The flags the change from `before` to `after` raises, in a stable order."""
    raised: list[tuple[FlagKind, tuple[dict[str, str | None], ...]]] = []
    raised += _status_flags(before, after, run)
    if before.observed and after.observed:
        raised += _field_flags(before, after, run)
    return [
        FlagCandidate(cluster_id, kind, run.run_id, ev, evidence_key(cluster_id, kind, ev))
        for kind, ev in raised
    ]


def _run_evidence(run: RunObservation, text: str) -> dict[str, str | None]:
    return evidence_item(run.final_url or run.requested_url, text, run.at.date().isoformat())


def _update_evidence(state: ClusterStateView) -> dict[str, str | None]:
    found = state.last_update_evidence or {}
    text = found.get("text") or "no credible date found"
    return evidence_item(found.get("url"), text, state.last_update)


def _status_flags(
    before: ClusterStateView, after: ClusterStateView, run: RunObservation
) -> list[tuple[FlagKind, tuple[dict[str, str | None], ...]]]:
    out: list[tuple[FlagKind, tuple[dict[str, str | None], ...]]] = []
    old, new = before.status, after.status
    if old == Status.ACTIVE and new == Status.DORMANT:
        out.append((FlagKind.BECAME_DORMANT, (_update_evidence(after),)))
    if old in (Status.DORMANT, Status.PARKED) and new == Status.ACTIVE:
        out.append((FlagKind.REACTIVATED, (_update_evidence(after),)))
    if new == Status.UNREACHABLE and old != Status.UNREACHABLE:
        out.append(
            (FlagKind.UNREACHABLE, (_run_evidence(run, after.status_reason or run.outcome),))
        )
    if old == Status.UNREACHABLE and new != Status.UNREACHABLE:
        out.append((FlagKind.RECOVERED, (_run_evidence(run, f"answers again: {run.outcome}"),)))
    if new == Status.PARKED and old != Status.PARKED:
        out.append((FlagKind.PARKED, (_parking_evidence(run),)))
    if after.moved_to and after.moved_to != before.moved_to:
        text = f"{run.requested_url} redirects to {after.moved_to}"
        out.append((FlagKind.MOVED, (evidence_item(after.moved_to, text, run.at.date()),)))
    if run.outcome == Outcome.BLOCKED_ADDRESS:
        out.append((FlagKind.BLOCKED_REDIRECT, (_refused_evidence(run),)))
    entered_wall = (after.status_reason or "").startswith(REASON_BOT_WALL) and new == Status.UNKNOWN
    if entered_wall and not (old == Status.UNKNOWN and _walled(before)):
        out.append((FlagKind.BLOCKED, (_wall_evidence(run, after),)))
    return out


def _refused_evidence(run: RunObservation) -> dict[str, str | None]:
    """Where the home page tried to send us: the refused URL (final_url), not a move."""
    text = run.error or f"{run.requested_url} leads to a refused address"
    return evidence_item(run.final_url or run.requested_url, text, run.at.date())


def _walled(state: ClusterStateView) -> bool:
    return (state.status_reason or "").startswith(REASON_BOT_WALL)


def _parking_evidence(run: RunObservation) -> dict[str, str | None]:
    page = (run.analysis or {}).get("parked") or {}
    url = page.get("url") or run.final_url or run.requested_url
    text = f"{page.get('kind', 'parked')}: {page.get('text') or ''}".strip()
    return evidence_item(url, text, run.at.date())


def _wall_evidence(run: RunObservation, after: ClusterStateView) -> dict[str, str | None]:
    wall = (run.analysis or {}).get("blocked") or {}
    url = wall.get("url") or run.final_url or run.requested_url
    return evidence_item(url, wall.get("text") or after.status_reason, run.at.date())


def _field_flags(
    before: ClusterStateView, after: ClusterStateView, run: RunObservation
) -> list[tuple[FlagKind, tuple[dict[str, str | None], ...]]]:
    out: list[tuple[FlagKind, tuple[dict[str, str | None], ...]]] = []
    evidence = (run.analysis or {}).get("english_evidence") or []
    if before.english_site == EnglishSite.NONE and after.english_site in ENGLISH_PRESENT:
        items = tuple(evidence_item(e.get("url"), e.get("text"), e.get("date")) for e in evidence)
        out.append((FlagKind.ENGLISH_SITE_APPEARED, items or (_run_evidence(run, "English site"),)))
    if before.english_site in ENGLISH_PRESENT and after.english_site == EnglishSite.NONE:
        text = f"English site was {before.english_site}, now none"
        out.append((FlagKind.ENGLISH_SITE_GONE, (_run_evidence(run, text),)))
    old_signals = {signal_identity(s) for s in before.eu_signals}
    new_signals = {signal_identity(s) for s in after.eu_signals}
    gained = [s for s in after.eu_signals if signal_identity(s) not in old_signals]
    lost = [s for s in before.eu_signals if signal_identity(s) not in new_signals]
    if gained:
        out.append((FlagKind.NEW_EU_SIGNAL, _signal_evidence(gained)))
    if lost:
        out.append((FlagKind.EU_SIGNAL_GONE, _signal_evidence(lost)))
    languages = (before.main_language, after.main_language)
    if all(languages) and languages[0] != languages[1]:
        text = f"main language {before.main_language} -> {after.main_language}"
        out.append((FlagKind.LANGUAGE_CHANGED, (_run_evidence(run, text),)))
    old_title, new_title = before.home_title, after.home_title
    if old_title and new_title and not same_organisation(old_title, new_title):
        text = f"home page title was “{old_title}”, now “{new_title}”"
        out.append((FlagKind.CONTENT_REPLACED, (_run_evidence(run, text),)))
    if before.internationalisation != after.internationalisation:
        text = f"internationalisation {before.internationalisation} -> "
        text += f"{after.internationalisation}"
        out.append((FlagKind.INTERNATIONALISATION_CHANGED, (_run_evidence(run, text),)))
    return out


def _squash(text: Any) -> str:
    """Text without any whitespace, case-folded: extraction spaces Japanese text unevenly."""
    return "".join(str(text or "").split()).casefold()


def _signal_evidence(signals: list[Mapping[str, Any]]) -> tuple[dict[str, str | None], ...]:
    """One flag's evidence for the EU passages one run gained or lost: every page, once each.

    A news item shown on the home page, the news list and its own page is one change, so it
    raises one flag whose evidence lists the three pages, not three flags.
    """
    items = [evidence_item(s.get("url"), s.get("text"), s.get("date")) for s in signals]
    unique = {(item["url"], item["text"]): item for item in items}
    return tuple(unique[key] for key in sorted(unique, key=lambda k: (k[1] or "", k[0] or "")))
