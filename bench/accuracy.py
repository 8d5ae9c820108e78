"""Score crawler.analysis on labelled pages, beside htmldate, langdetect and charset-normalizer.

Run from the repository root: ``python -m bench.accuracy [--misses]``.

Headline: the REAL corpus (tests/realcorpus, pages saved by other people from real sites and
labelled by people reading them; build the pages first with ``python
tests/realcorpus/build.py``). It prints: newest update date exact on dated Japanese and on dated
non-Japanese pages, the share of undated pages wrongly given a date, the language label (gold
ISO 639-1 code), valid-UTF-8 pages decoded as something else, and EU-mention precision /
recall; htmldate.find_date (original_date=False, today as max date), langdetect on the whole
text and charset-normalizer run on the same pages in the same run. ``--misses`` lists the pages
whose newest date is wrong (with the evidence on both sides), misdecoded or EU-mention misses.
A valid-UTF-8 page counts as misdecoded when its text differs from the UTF-8 reading.

Second, clearly labelled: the GENERATED corpus (tests/corpus), which the same team wrote as
the analyser; a regression check, an upper bound, not a measure of real-web accuracy.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from datetime import date
from typing import Any

from charset_normalizer import from_bytes
from htmldate import find_date
from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException
from lxml import etree

from clusterwatch.crawler.analysis import PageAnalysis, PageInput, analyze, decode_html
from tests.corpus.loader import load as load_generated
from tests.realcorpus.loader import corpus_dates, load_content_pages, load_labelled

DetectorFactory.seed = 0
_UTF8 = ("utf-8", "utf8", "utf-8-sig")


def _charset(page: PageInput) -> str | None:
    return page.headers.get("content-type", "").partition("charset=")[2] or None


def whole_text(html: str) -> str:
    root = etree.fromstring(html.encode("utf-8"), etree.HTMLParser(encoding="utf-8"))
    if root is None:
        return ""
    etree.strip_elements(root, "script", "style", with_tail=False)
    return " ".join("".join(root.itertext()).split())


def langdetect_code(text: str) -> str | None:
    try:
        code: str = detect(text)
    except LangDetectException:
        return None
    return code.split("-")[0]  # zh-cn -> zh


def htmldate_date(html: str, today: date) -> date | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = find_date(
            html, original_date=False, outputformat="%Y-%m-%d", max_date=today.isoformat()
        )
    return date.fromisoformat(found) if found else None


def prf(pairs: list[tuple[bool, bool]]) -> str:
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"precision {precision:.3f}  recall {recall:.3f}  (n={len(pairs)}, positives={tp + fn})"


def share(hits: list[bool]) -> float:
    return sum(hits) / len(hits) if hits else float("nan")


def _row(name: str, ours: list[bool], base: list[bool], base_name: str) -> str:
    return (
        f"{name:52s} (n={len(ours):3d})  clusterwatch {share(ours):.3f}   "
        f"{base_name} {share(base):.3f}"
    )


def _misses(gold: dict[str, Any], result: PageAnalysis, expected: date | None) -> str:
    ours = result.newest_date_evidence.text[:90] if result.newest_date_evidence else "-"
    return (
        f"  {gold['id']:12s} gold {expected}  got {result.newest_date}\n"
        f"      gold: {str(gold.get('date_evidence', ''))[:90]}\n      ours: {ours}"
    )


def real_section(show_misses: bool) -> dict[str, float]:
    """The headline figures on the real corpus."""
    rows = load_labelled()
    if not rows:
        print("REAL corpus: no pages built; run python tests/realcorpus/build.py first")
        return {}
    dated: dict[str, tuple[list[bool], list[bool]]] = {"ja": ([], []), "other": ([], [])}
    undated: tuple[list[bool], list[bool]] = ([], [])
    labels: tuple[list[bool], list[bool]] = ([], [])
    decoding: tuple[list[bool], list[bool]] = ([], [])
    eu: list[tuple[bool, bool]] = []
    misses: list[str] = []
    for gold, page in rows:
        result = analyze(page)
        html = decode_html(page.body, _charset(page)).text
        expected = corpus_dates(gold)
        theirs = htmldate_date(html, result.today)
        if expected is None:
            undated[0].append(result.newest_date is not None)
            undated[1].append(theirs is not None)
        else:
            group = dated["ja" if gold["lang"] == "ja" else "other"]
            group[0].append(result.newest_date == expected)
            group[1].append(theirs == expected)
        if result.newest_date != expected:
            misses.append(_misses(gold, result, expected))
        labels[0].append(result.language.label == gold["lang"])
        labels[1].append(langdetect_code(whole_text(html)) == gold["lang"])
        if str(gold.get("encoding", "")).lower() in _UTF8:
            # Misdecoded = text other than the UTF-8 reading; an ASCII-only page read as
            # windows-1252 (its declared iso-8859-1) is the same text, not a miss.
            utf8 = page.body.decode("utf-8-sig")
            decoding[0].append(decode_html(page.body, _charset(page)).text != utf8)
            best = from_bytes(page.body).best()
            decoding[1].append(best is None or str(best) != utf8)
            if decoding[0][-1]:
                misses.append(f"  {gold['id']:12s} valid UTF-8 misdecoded")
        eu.append((bool(gold.get("eu_mention")), bool(result.eu_signals)))
        if eu[-1][0] != eu[-1][1]:
            misses.append(f"  {gold['id']:12s} EU mention gold {eu[-1][0]} got {eu[-1][1]}")
    print(f"== REAL corpus (tests/realcorpus): {len(rows)} labelled pages ==")
    print(_row("newest date exact, dated Japanese pages", *dated["ja"], "htmldate"))
    print(_row("newest date exact, dated non-Japanese pages", *dated["other"], "htmldate"))
    print(_row("undated pages wrongly given a date (lower is better)", *undated, "htmldate"))
    print(_row("language label = gold ISO 639-1 code", *labels, "langdetect(whole text)"))
    print(
        f"{'valid UTF-8 pages misdecoded (count, lower is better)':52s} (n={len(decoding[0]):3d})"
        f"  clusterwatch {sum(decoding[0]):5d}   charset-normalizer {sum(decoding[1])}"
    )
    print(f"{'EU mention':52s} {prf(eu)}   (no baseline)")
    content = load_content_pages()
    signalled = [page.url for page in content if analyze(page).eu_signals]
    print(
        f"{'content pages with an EU signal (no labels; read them)':52s} (n={len(content):3d})"
        f"  clusterwatch {len(signalled):5d}"
    )
    print(
        f"{'English-version link':52s} not measured: analyze() gives no per-page verdict "
        "(english_site is judged per site)"
    )
    if show_misses:
        print("content pages with an EU signal:\n" + "\n".join(f"  {u}" for u in signalled))
        print("pages whose newest date, decoding or EU mention differs from the label:")
        print("\n".join(misses))
    return {
        "date_ja": share(dated["ja"][0]),
        "date_other": share(dated["other"][0]),
        "undated_dated": share(undated[0]),
        "language": share(labels[0]),
        "misdecoded": float(sum(decoding[0])),
    }


def generated_section() -> dict[str, float]:
    """The generated corpus: regression figures, same measures as before issue 9."""
    rows = load_generated()
    dates: dict[str, tuple[list[bool], list[bool]]] = {"ja": ([], []), "en": ([], [])}
    labels: tuple[list[bool], list[bool]] = ([], [])
    verdicts: dict[str, list[tuple[bool, bool]]] = {
        "eu_signal": [], "parked": [], "soft_404": [], "blocked": []
    }  # fmt: skip
    checks: dict[str, Callable[[PageAnalysis], bool]] = {
        "eu_signal": lambda r: bool(r.eu_signals),
        "parked": lambda r: r.parked is not None,
        "soft_404": lambda r: r.soft_404 is not None,
        "blocked": lambda r: r.blocked is not None,
    }
    for gold, page in rows:
        result = analyze(page)
        html = decode_html(page.body, _charset(page)).text
        if not gold["blocked"]:
            group = dates["en" if gold["language"] == "en" else "ja"]
            expected = gold["newest_date"]
            predicted = result.newest_date.isoformat() if result.newest_date else None
            theirs = htmldate_date(html, date(2026, 11, 20))
            group[0].append(predicted == expected)
            group[1].append((theirs.isoformat() if theirs else None) == expected)
        if gold["language"]:
            labels[0].append(result.language.label == gold["language"])
            code = langdetect_code(whole_text(html))
            labels[1].append((code if code in ("ja", "en") else "other") == gold["language"])
        for name, check in checks.items():
            verdicts[name].append((bool(gold[name]), check(result)))
    print(f"\n== GENERATED corpus (tests/corpus, written by this team): {len(rows)} pages ==")
    print(_row("newest date exact, Japanese pages", *dates["ja"], "htmldate"))
    print(_row("newest date exact, English pages", *dates["en"], "htmldate"))
    print(_row("language label ja / en / mixed", *labels, "langdetect(whole text)"))
    for name, pairs in verdicts.items():
        print(f"{name:52s} {prf(pairs)}")
    return {"date_ja": share(dates["ja"][0]), "date_en": share(dates["en"][0])}


def main() -> None:
    real_section("--misses" in sys.argv[1:])
    generated_section()


if __name__ == "__main__":
    main()
