"""The 2016 screening, now: counts beside the 2016 figures, and a table per cluster with evidence.

`build_report(sessions, now) -> Report` is the one entry point; the CLI, the digest (landscape
figures) and the web UI use it. Counts use what is shown (curator overrides win, so
`not_interested`, which only curators set, is counted). Renderers: monitor.report_text (text,
csv, json) and monitor.report_xlsx (the workbook analysts open).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.monitor.clusters_view import ClusterRow, cluster_rows
from clusterwatch.vocabulary import Status

# The EU-Japan Centre's internet screening of May 2016, as reproduced in the ECCP "Preparatory
# Briefing on Japan" (D 3.2, 2017), section 3.2 "Mapping of clusters in Japan": 51 cluster
# organisations. Each section below sums to 51.
SCREENING_2016: dict[str, dict[str, int]] = {
    "sector": {
        "life_science": 28,  # pharmaceuticals, biotechnology, healthcare, medical and welfare
        "energy_environment": 3,
        "ict": 2,
        "automotive": 2,
        "electronics": 6,  # electronic components, devices and semiconductors
        "precision_manufacturing": 2,
        "aerospace": 2,
        "food": 2,
        "other": 4,
    },
    "internationalisation": {
        "eu_recent": 13,  # recent ongoing activities with EU organisations
        "eu_past": 8,  # past relations with the EU (2001-2012), nothing after 2012
        "asia_america_only": 10,
        "open_unspecified": 7,  # open to internationalisation, no target area given
        "no_info": 9,
        "not_interested": 4,
    },
    "activity": {"active": 38, "not_so_active": 13},
    "english_site": {"active": 9, "static": 18, "none": 24},
}
SCREENING_2016_TOTAL = 51

SECTION_TITLES: dict[str, str] = {
    "sector": "Clusters by sector",
    "internationalisation": "Internationalisation",
    "activity": "Website activity",
    "english_site": "English website",
}
LABELS: dict[str, str] = {
    "life_science": "Life science (pharma, biotech, healthcare, medical, welfare)",
    "energy_environment": "Environment, energy",
    "ict": "IT",
    "automotive": "Automobile-related",
    "electronics": "Electronic components, devices, semiconductors",
    "precision_manufacturing": "Precision manufacturing",
    "aerospace": "Aerospace",
    "food": "Food",
    "other": "Other sectors",
    "eu_recent": "Recent activities with EU organisations",
    "eu_past": "Past relations with the EU only",
    "asia_america_only": "Targeting Asia or America only",
    "open_unspecified": "Open, target areas unspecified",
    "no_info": "No information",
    "not_interested": "Not interested (curator)",
    "active": "Active",
    "not_so_active": "Not so active (dormant, parked or unreachable)",
    "unknown": "Not yet known (no evidence, bot wall)",
    "static": "Static English site",
    "none": "Japanese only",
}
# a status counts as "not so active" in the 2016 sense; unknown is shown apart (2016 had none)
NOT_SO_ACTIVE = frozenset({Status.DORMANT, Status.PARKED, Status.UNREACHABLE})


@dataclass(frozen=True)
class CountLine:
    key: str
    label: str
    now: int
    in_2016: int | None  # None: the 2016 screening had no such category

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "now": self.now, "2016": self.in_2016}


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    lines: tuple[CountLine, ...]

    @property
    def total_now(self) -> int:
        return sum(line.now for line in self.lines)

    @property
    def total_2016(self) -> int:
        return sum(line.in_2016 or 0 for line in self.lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "lines": [line.to_json() for line in self.lines],
            "total": {"now": self.total_now, "2016": self.total_2016},
        }


@dataclass(frozen=True)
class Report:
    generated_at: datetime
    sections: tuple[ReportSection, ...]
    clusters: tuple[ClusterRow, ...]

    def section(self, key: str) -> ReportSection:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(f"no report section {key!r}; sections: {list(SECTION_TITLES)}")

    def counts(self, key: str) -> dict[str, int]:
        """{category: count now} of one section, e.g. counts("activity")["active"]."""
        return {line.key: line.now for line in self.section(key).lines}

    def to_json(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at.isoformat(),
            "clusters_total": {"now": len(self.clusters), "2016": SCREENING_2016_TOTAL},
            "sections": [section.to_json() for section in self.sections],
            "clusters": [row.to_json() for row in self.clusters],
        }


def activity_of(row: ClusterRow) -> str:
    if row.status == Status.ACTIVE:
        return "active"
    return "not_so_active" if row.status in NOT_SO_ACTIVE else "unknown"


# section key -> the category of one cluster in that section
CATEGORY_OF: dict[str, Callable[[ClusterRow], str]] = {
    "sector": lambda row: row.sector,
    "internationalisation": lambda row: row.internationalisation,
    "activity": activity_of,
    "english_site": lambda row: row.english_site,
}


def summarise(rows: list[ClusterRow], now: datetime) -> Report:
    """The report over already-built rows (pure: the tests count fixtures through this)."""
    sections = []
    for key, category_of in CATEGORY_OF.items():
        counted = Counter(category_of(row) for row in rows)
        sections.append(ReportSection(key, SECTION_TITLES[key], _lines(counted, key)))
    return Report(now, tuple(sections), tuple(rows))


def _lines(counted: Mapping[str, int], key: str) -> tuple[CountLine, ...]:
    baseline = SCREENING_2016[key]
    keys = list(baseline) + sorted(k for k in counted if k not in baseline)
    if key == "activity" and "unknown" not in keys:
        keys.append("unknown")
    return tuple(CountLine(k, LABELS.get(k, k), counted.get(k, 0), baseline.get(k)) for k in keys)


def build_report(sessions: sessionmaker[Session], now: datetime) -> Report:
    """The screening over every current cluster as shown today."""
    return summarise(cluster_rows(sessions, now), now)
