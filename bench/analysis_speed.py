"""Time of crawler.analysis.analyze() per real page, against langdetect on the same pages.

Run from the repository root:
python -m bench.analysis_speed [--repeats N] [--generated] [--by-size]
The pages are the real corpus (tests/realcorpus: labelled pages and unlabelled content pages;
build them first with python3 tests/realcorpus/build.py). For each page, the fastest of N runs
of analyze() and of langdetect.detect() over the page's whole visible text (the plain approach
clusterwatch replaces) are taken, in the same run; the median and p90 over the pages, and the
ratio of the medians, are printed. --generated times the generated corpus (tests/corpus) too;
--by-size prints the same figures per band of page size (langdetect reads at most 10,000
characters of text, analyze() the whole page, so the ratio grows with the page).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException
from lxml import etree

from clusterwatch.crawler.analysis import PageInput, analyze, decode_html
from tests.realcorpus.loader import load_content_pages, load_labelled

DetectorFactory.seed = 0


def whole_text(page: PageInput) -> str:
    charset = page.headers.get("content-type", "").partition("charset=")[2] or None
    html = decode_html(page.body, charset).text
    root = etree.fromstring(html.encode("utf-8"), etree.HTMLParser(encoding="utf-8"))
    if root is None:
        return ""
    etree.strip_elements(root, "script", "style", with_tail=False)
    return " ".join("".join(root.itertext()).split())


def fastest_ms(func: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def langdetect_or_none(text: str) -> str | None:
    try:
        return str(detect(text))
    except LangDetectException:
        return None


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


# Upper bounds (KB) of the page-size bands printed by --by-size.
SIZE_BANDS_KB = (30, 60, 100, 200)


def print_band(ours: list[float], theirs: list[float]) -> None:
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"  analyze():                median {a:6.2f} ms   p90 {p90(ours):6.2f} ms")
    print(f"  langdetect on whole text: median {b:6.2f} ms   p90 {p90(theirs):6.2f} ms")
    print(f"  ratio of medians analyze / langdetect: {a / b:.2f} (target <= 0.33)")


def measure(name: str, pages: list[PageInput], repeats: int, by_size: bool) -> None:
    analyze(pages[0])  # warm caches (lexicon, regexes, langdetect profiles)
    langdetect_or_none("warm up the language profiles")
    ours, theirs = [], []
    for page in pages:
        text = whole_text(page)
        ours.append(fastest_ms(lambda page=page: analyze(page), repeats))
        theirs.append(fastest_ms(lambda text=text: langdetect_or_none(text), repeats))
    sizes = [len(p.body) / 1000 for p in pages]
    print(f"{name}: {len(pages)} pages, median {statistics.median(sizes):.0f} KB")
    print_band(ours, theirs)
    if not by_size:
        return
    low = 0
    for high in (*SIZE_BANDS_KB, None):
        band = [i for i, kb in enumerate(sizes) if kb >= low and (high is None or kb < high)]
        if len(band) >= 2:
            print(f"{name}, pages of {low}-{high or 'more'} KB: {len(band)} pages")
            print_band([ours[i] for i in band], [theirs[i] for i in band])
        low = high or low


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--generated", action="store_true")
    parser.add_argument("--by-size", action="store_true")
    args = parser.parse_args()
    pages = [page for _, page in load_labelled()] + load_content_pages()
    if not pages:
        sys.exit("real corpus pages not built: run python3 tests/realcorpus/build.py")
    measure("real corpus", pages, args.repeats, args.by_size)
    if args.generated:
        from tests.corpus.loader import load

        measure("generated corpus", [page for _, page in load()], args.repeats, args.by_size)


if __name__ == "__main__":
    main()
