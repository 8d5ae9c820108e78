"""Every cluster scenario of the simulated web, one module per kind of site.

- active: osaka-bio (Japanese-only, RSS, sitemap, 開催予定)
- bilingual: kbic, yrp (/en/ pages, hreflang, EU MoU; an EU item that goes away)
- legacy: fukushima-medical, chubu-jisedai, hokuriku-health (Shift_JIS, EUC-JP, ISO-2022-JP)
- moved: fbri-kobe, namicpa (301 to a new domain)
- takeover: asif, kansai-env, gnic (parked, hijacked, bot wall)
- structure: okinawa-it-shinryo, tama, k-rip, noastec (soft 404, robots, frames, trap)
- hazards: hamamatsu-optronics, crirc, hakodate-marine-bio (slow page, 500 once, 12 MB page)
- changing: yonezawa, pharma-valley, kawasaki-gi (goes dark, wakes up, English appears)
- failing: miyagi-nga, sendai-kc, bio-s, kita (DNS failure, refused, upstream timeout, TLS)
"""

from __future__ import annotations

from clusterwatch.simweb.model import Scenario
from clusterwatch.simweb.scenarios import (
    active,
    bilingual,
    changing,
    failing,
    hazards,
    legacy,
    moved,
    structure,
    takeover,
)

SCENARIOS: tuple[Scenario, ...] = (
    *active.SCENARIOS,
    *bilingual.SCENARIOS,
    *legacy.SCENARIOS,
    *moved.SCENARIOS,
    *takeover.SCENARIOS,
    *structure.SCENARIOS,
    *hazards.SCENARIOS,
    *changing.SCENARIOS,
    *failing.SCENARIOS,
)

# Nights the scenarios define; a later phase repeats the last one.
PHASES = 4
