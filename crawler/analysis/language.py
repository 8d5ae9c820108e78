"""Which language a page is written in: Japanese and English shares of its main content.

In: main-content and boilerplate lines from ``text``, the declared lang and hreflang.
Out: ``LanguageResult`` with shares, a label (ja | en | mixed | other, None without text)
and the declarations as recorded.

Japanese is counted by script (kana, kanji); Latin text only counts as prose in runs of
several words (brand names and acronyms inside Japanese sentences are neutral), and is called
English by a cheap function-word test first, langdetect (seeded) only on a small sample when
that test is unsure. Kanji without kana is Chinese, not Japanese.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

DetectorFactory.seed = 0  # deterministic langdetect results

# English needs about this many letters to say what Japanese says in one kana/kanji character
# (parallel translations on bilingual cluster sites run 2.5-3.5 times longer in English).
JA_CHAR_WEIGHT = 3.0
# A Latin segment between Japanese characters counts as prose only with this many words.
MIN_LATIN_RUN_WORDS = 3
# Below this many weighted units of main content, boilerplate and title are used instead.
MIN_MAIN_UNITS = 30
# Kanji count as Japanese only if kana make up at least this share of the CJK characters.
MIN_KANA_SHARE = 0.05
# A language share at or above this makes the page single-language.
SINGLE_LANGUAGE_SHARE = 0.8
# English function words at or above this share of the words settle English without langdetect.
ENGLISH_STOPWORD_SHARE = 0.12
# Latin prose shorter than this (words) without function words is names, not English prose.
MIN_LANGDETECT_WORDS = 8
# Characters of Latin prose given to langdetect when the function-word test is unsure.
LATIN_SAMPLE_CHARS = 400
# langdetect's English probability needed to call the Latin text English.
LANGDETECT_MIN_PROB = 0.6

# Runs, not single characters: counting the characters of a few runs builds far fewer
# strings than one per kana or kanji.
_KANA = re.compile("[\u3040-\u309f\u30a0-\u30ff\uff66-\uff9f]+")
_KANJI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Three words need at least this many characters (a letter, a separator, a letter, a
# separator, a letter): shorter Latin segments (numbers, punctuation) are not searched.
_MIN_RUN_CHARS = 2 * MIN_LATIN_RUN_WORDS - 1
# A segment of text with no kana or kanji in it.
_LATIN_SEGMENT = re.compile(
    "[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u3000-\u303f]+"
)
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['’][a-z]+)?")
_STOPWORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "for",
        "on",
        "with",
        "as",
        "by",
        "at",
        "from",
        "that",
        "this",
        "are",
        "was",
        "be",
        "an",
        "or",
        "it",
        "its",
        "we",
        "our",
        "has",
        "have",
        "will",
        "which",
        "their",
        "more",
        "about",
        "all",
        "not",
        "new",
        "been",
        "can",
        "also",
    ]
)


@dataclass(frozen=True)
class LanguageResult:
    """Language shares of a page's main content (weighted units), label and declarations."""

    label: str | None
    ja: float
    en: float
    other: float
    units: float
    boilerplate_ja: float
    boilerplate_en: float
    declared: str | None
    hreflang: tuple[tuple[str, str], ...]
    mt_widget: bool


@dataclass(frozen=True)
class _Counts:
    ja: float
    latin_en: float
    other: float

    @property
    def total(self) -> float:
        return self.ja + self.latin_en + self.other


def _enough_stopwords(words: list[str]) -> bool:
    """Whether English function words make up ENGLISH_STOPWORD_SHARE of ``words``."""
    found = sum(map(_STOPWORDS.__contains__, map(str.lower, words)))  # C-level loops
    return found >= ENGLISH_STOPWORD_SHARE * len(words)


def _latin_is_english(prose: str, found: list[str], use_langdetect: bool) -> bool:
    """``found``: the words of ``prose``."""
    if not found:
        return False
    if _enough_stopwords(found):
        return True
    if not use_langdetect or len(found) < MIN_LANGDETECT_WORDS:
        return False
    try:
        guesses = detect_langs(prose[:LATIN_SAMPLE_CHARS])
    except LangDetectException:
        return False
    return any(g.lang == "en" and g.prob >= LANGDETECT_MIN_PROB for g in guesses)


def _count(text: str, use_langdetect: bool = True) -> _Counts:
    segments = _LATIN_SEGMENT.findall(text)
    # Text that is one segment holds no kana or kanji: English pages spare two scans.
    whole = len(segments) == 1 and len(segments[0]) == len(text)
    kana = 0 if whole else sum(map(len, _KANA.findall(text)))
    kanji = 0 if whole else sum(map(len, _KANJI.findall(text)))
    japanese = kana + kanji if kana >= MIN_KANA_SHARE * (kana + kanji) else kana
    chinese = kanji if japanese == kana else 0
    prose_parts = []
    words: list[str] = []  # the words of the prose: no word spans the spaces joining parts
    for segment in segments:
        if len(segment) >= _MIN_RUN_CHARS:
            found = _WORD.findall(segment)
            if len(found) >= MIN_LATIN_RUN_WORDS:
                prose_parts.append(segment)
                words += found
    prose = " ".join(prose_parts)
    letters = sum(map(len, words))
    english = _latin_is_english(prose, words, use_langdetect) if letters else False
    return _Counts(
        ja=japanese * JA_CHAR_WEIGHT,
        latin_en=letters if english else 0.0,
        other=chinese * JA_CHAR_WEIGHT + (0.0 if english else letters),
    )


def _label(counts: _Counts) -> str | None:
    if counts.total <= 0:
        return None
    ja, en = counts.ja / counts.total, counts.latin_en / counts.total
    if ja >= SINGLE_LANGUAGE_SHARE:
        return "ja"
    if en >= SINGLE_LANGUAGE_SHARE:
        return "en"
    if ja + en >= 1 - SINGLE_LANGUAGE_SHARE or (ja and en):
        return "mixed" if ja and en else ("ja" if ja > en else "en")
    return "other"


def _share(part: float, total: float) -> float:
    return round(part / total, 4) if total else 0.0


def detect_language(
    main: Sequence[str],
    boilerplate: Sequence[str],
    title: str | None,
    declared: str | None,
    hreflang: tuple[tuple[str, str], ...],
    mt_widget: bool,
) -> LanguageResult:
    """Measure the Japanese and English shares of the main content and label the page."""
    counts = _count("\n".join(main))
    chrome = _count("\n".join(boilerplate), use_langdetect=False)  # menus: function words only
    if counts.total < MIN_MAIN_UNITS:
        counts = _count("\n".join([title or "", *main, *boilerplate]))
    return LanguageResult(
        label=_label(counts),
        ja=_share(counts.ja, counts.total),
        en=_share(counts.latin_en, counts.total),
        other=_share(counts.other, counts.total),
        units=round(counts.total, 1),
        boilerplate_ja=_share(chrome.ja, chrome.total),
        boilerplate_en=_share(chrome.latin_en, chrome.total),
        declared=declared,
        hreflang=hreflang,
        mt_widget=mt_widget,
    )
