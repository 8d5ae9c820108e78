"""Scenarios: hosts that never answer properly: dead domain, refused, timeout, broken TLS.

All are programme sites or old servers (japan-clusters.md sections 2, 3 and 5). They fail on every
night, so the monitor calls them unreachable from the third run on.
"""

from __future__ import annotations

from collections.abc import Callable

from clusterwatch.simweb.model import Expectation, HostBuilder, Night, Outcome, Scenario, SiteState
from clusterwatch.simweb.scenarios.common import after_failures
from clusterwatch.simweb.sitekit import failing

KITA = "https://www.kita.or.jp"


def _host(outcome: Outcome) -> HostBuilder:
    def host(night: Night) -> SiteState:
        return failing(outcome)

    return host


def kita(night: Night) -> SiteState:
    """https is broken on every night; plain http only redirects there."""
    return SiteState(outcome=Outcome.TLS, redirect_to=KITA)


def _expect(outcome: Outcome, notes: str) -> Callable[[Night], Expectation]:
    def expect(night: Night) -> Expectation:
        status = after_failures(night.phase, "unknown")
        return Expectation(outcome=outcome, status=status, notes=notes)

    return expect


SCENARIOS = (
    Scenario(
        id="miyagi-nga",
        name="Next Generation Automobiles / Miyagi Area",
        name_ja="次世代自動車宮城県エリア",
        sector="automotive",
        prefecture="Miyagi",
        urls=("https://www.miyagicar-en.com/",),
        hosts={"www.miyagicar-en.com": _host(Outcome.DNS)},
        expect=_expect(Outcome.DNS, "programme ended March 2017; the domain is gone"),
        source="japan-clusters.md row 13",
        scenario="dead domain: DNS failure on every night (https, CONNECT refused by the proxy)",
    ),
    Scenario(
        id="sendai-kc",
        name="Sendai cluster for an advanced preventive-health society",
        name_ja="先進予防型健康社会創成仙台クラスター",
        sector="life_science",
        prefecture="Miyagi",
        urls=("http://sendai-cyber.icr-eq.co.jp/cluster/",),
        hosts={"sendai-cyber.icr-eq.co.jp": _host(Outcome.REFUSED)},
        expect=_expect(Outcome.REFUSED, "MEXT knowledge cluster, programme over; server off"),
        source="japan-clusters.md row 33",
        scenario="connection refused on every night (plain http)",
    ),
    Scenario(
        id="bio-s",
        name="Bio-S Sapporo Bio Cluster",
        name_ja="さっぽろバイオクラスター構想“Bio-S”",
        sector="life_science",
        prefecture="Hokkaido",
        urls=("http://www.bio-sss.jp/",),
        hosts={"www.bio-sss.jp": _host(Outcome.TIMEOUT)},
        expect=_expect(Outcome.TIMEOUT, "the proxy answers 504 ERR_READ_TIMEOUT after a delay"),
        source="japan-clusters.md row 31",
        scenario="upstream timeout on every night (504 ERR_READ_TIMEOUT)",
    ),
    Scenario(
        id="kita",
        name="Kitakyushu International Techno-Cooperative Association (KITA)",
        sector="energy_environment",
        prefecture="Fukuoka",
        urls=(f"{KITA}/",),
        hosts={"www.kita.or.jp": kita},
        expect=_expect(Outcome.TLS, "TLS handshake_failure alert after CONNECT; http redirects"),
        source="japan-clusters.md row 57",
        scenario="TLS failure: the tunnel opens, the handshake fails (an old server)",
    ),
)
