"""Median time of crawler.analysis.analyze() per typical page, against langdetect.

Run from the repository root: python -m bench.analysis_speed
Typical pages are the corpus pages of 30-80 KB of HTML. For each, the median of several
analyze() runs is taken, and so is langdetect.detect() over the page's whole visible text
(the plain approach clusterwatch replaces), in the same run; the ratio compares the two.
"""

from __future__ import annotations

import statistics
import time

from langdetect import DetectorFactory, detect

from bench.accuracy import whole_text
from clusterwatch.crawler.analysis import analyze, decode_html
from tests.corpus.loader import load

DetectorFactory.seed = 0
MIN_BYTES, MAX_BYTES = 30_000, 80_000
REPEATS = 15


def median_ms(func, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    pages = [p for _, p in load() if MIN_BYTES <= len(p.body) <= MAX_BYTES]
    analyze(pages[0])  # warm caches (lexicon, regexes, langdetect profiles)
    detect("warm up the language profiles")
    ours, theirs = [], []
    for page in pages:
        charset = page.headers.get("content-type", "").partition("charset=")[2] or None
        text = whole_text(decode_html(page.body, charset).text)
        ours.append(median_ms(lambda page=page: analyze(page)))
        theirs.append(median_ms(lambda text=text: detect(text)))
    a, b = statistics.median(ours), statistics.median(theirs)
    sizes = sorted(len(p.body) // 1000 for p in pages)
    print(f"typical pages: {len(pages)} ({sizes[0]}-{sizes[-1]} KB)")
    print(f"analyze():                 median {a:.2f} ms per page")
    print(f"langdetect on whole text:  median {b:.2f} ms per page")
    print(f"ratio analyze / langdetect: {a / b:.2f}")


if __name__ == "__main__":
    main()
