"""Score crawler.analysis on the labelled corpus, with htmldate and langdetect as baselines.

Run: python bench/accuracy.py
Prints accuracy per analyser (dates on Japanese and on English pages, language label,
language-share error) and precision / recall for EU signals, parked, soft-404 and blocked
verdicts; htmldate.find_date (original_date=False) and langdetect over the whole page text
run on the same pages in the same run.
"""

from __future__ import annotations

import sys
import warnings
from datetime import date
from pathlib import Path

from htmldate import find_date
from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from clusterwatch.crawler.analysis import analyze, decode_html
from tests.corpus.loader import load

DetectorFactory.seed = 0


def whole_text(body: bytes, charset: str | None) -> str:
    html = decode_html(body, charset).text
    root = etree.fromstring(html.encode("utf-8"), etree.HTMLParser(encoding="utf-8"))
    if root is None:
        return ""
    etree.strip_elements(root, "script", "style", with_tail=False)
    return " ".join("".join(root.itertext()).split())


def langdetect_label(text: str) -> str | None:
    try:
        lang = detect(text)
    except LangDetectException:
        return None
    return lang if lang in ("ja", "en") else "other"


def prf(pairs: list[tuple[bool, bool]]) -> str:
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    accuracy = sum(g == p for g, p in pairs) / len(pairs)
    return (
        f"precision {precision:.3f}  recall {recall:.3f}  accuracy {accuracy:.3f}  "
        f"(n={len(pairs)}, positives={tp + fn})"
    )


def score() -> dict[str, float]:
    rows = load()
    dates = {"ja": [], "en": []}
    base_dates = {"ja": [], "en": []}
    labels, base_labels, share_err = [], [], []
    verdicts = {"eu_signal": [], "parked": [], "soft_404": [], "blocked": []}
    for gold, page in rows:
        result = analyze(page)
        group = "en" if gold["language"] == "en" else "ja"
        if not gold["blocked"]:
            predicted = result.newest_date.isoformat() if result.newest_date else None
            dates[group].append(predicted == gold["newest_date"])
            charset = page.headers.get("content-type", "").partition("charset=")[2] or None
            html = decode_html(page.body, charset).text
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                base = find_date(
                    html,
                    original_date=False,
                    outputformat="%Y-%m-%d",
                    max_date=date(2026, 11, 20).isoformat(),
                )
            base_dates[group].append(base == gold["newest_date"])
        if gold["language"]:
            labels.append(result.language.label == gold["language"])
            charset = page.headers.get("content-type", "").partition("charset=")[2] or None
            base_labels.append(langdetect_label(whole_text(page.body, charset)) == gold["language"])
            if gold["shares"]:
                share_err.append(abs(result.language.ja - gold["shares"]["ja"]))
        verdicts["eu_signal"].append((gold["eu_signal"], bool(result.eu_signals)))
        verdicts["parked"].append((gold["parked"], result.parked is not None))
        verdicts["soft_404"].append((gold["soft_404"], result.soft_404 is not None))
        verdicts["blocked"].append((gold["blocked"], result.blocked is not None))

    def acc(xs: list[bool]) -> float:
        return sum(xs) / len(xs)

    figures = {
        "date_ja": acc(dates["ja"]), "date_ja_htmldate": acc(base_dates["ja"]),
        "date_en": acc(dates["en"]), "date_en_htmldate": acc(base_dates["en"]),
        "language": acc(labels), "language_langdetect": acc(base_labels),
        "share_mae": sum(share_err) / len(share_err),
    }  # fmt: skip
    print(f"corpus: {len(rows)} pages")
    print(
        f"newest date, Japanese pages (n={len(dates['ja'])}): "
        f"clusterwatch {figures['date_ja']:.3f}   htmldate {figures['date_ja_htmldate']:.3f}"
    )
    print(
        f"newest date, English pages  (n={len(dates['en'])}): "
        f"clusterwatch {figures['date_en']:.3f}   htmldate {figures['date_en_htmldate']:.3f}"
    )
    print(
        f"language label (n={len(labels)}): clusterwatch {figures['language']:.3f}   "
        f"langdetect(whole text) {figures['language_langdetect']:.3f}"
    )
    print(f"Japanese share, mean absolute error (n={len(share_err)}): {figures['share_mae']:.3f}")
    for name, pairs in verdicts.items():
        print(f"{name:10s} {prf(pairs)}")
    return figures


if __name__ == "__main__":
    score()
