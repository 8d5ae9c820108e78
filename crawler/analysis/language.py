"""Which languages a page is written in: the shares of its main content, per ISO 639-1 code.

In: main-content and boilerplate lines from ``text``, the declared lang and hreflang.
Out: ``LanguageResult`` with the Japanese, English and other shares, every language's share,
a label (an ISO 639-1 code, "mixed" for two strong languages, "other" for unidentified Latin
prose, None without text) and the declarations as recorded.

Scripts first (``scripts``): kana and kanji are Japanese, Han without kana Chinese, Hangul
Korean, Cyrillic, Greek, Arabic ... their own languages. Latin text only counts as prose in
runs of several words (brand names and acronyms inside Japanese sentences are neutral, and
so are Latin titles quoted in 「」 or 『』), and its language is named by counting the
function words of English, German, French and the other languages in
``data/function_words.yaml``; langdetect (seeded) reads a small sample only when those counts
are unsure, or to tell the languages of a shared script apart.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from clusterwatch.crawler.analysis import lexicon
from clusterwatch.crawler.analysis.scripts import SHARED_SCRIPT_CODES, count_scripts

DetectorFactory.seed = 0  # deterministic langdetect results

# A Latin segment between Japanese characters counts as prose only with this many words.
MIN_LATIN_RUN_WORDS = 3
# Below this many weighted units of main content, boilerplate and title are used instead.
MIN_MAIN_UNITS = 30
# A language share at or above this makes the page single-language ...
SINGLE_LANGUAGE_SHARE = 0.8
# ... and below it, a second language with at least this share makes it "mixed".
MIXED_MIN_SHARE = 0.15
# One language's function words at or above this share of the words settle the language of
# Latin prose without langdetect ...
FUNCTION_WORD_SHARE = 0.12
# ... when they are also this many times the next language's function words.
FUNCTION_WORD_MARGIN = 2.0
# Latin prose shorter than this (words) without function words is names, not prose.
MIN_LANGDETECT_WORDS = 8
# Characters of prose given to langdetect when the function-word counts are unsure.
LANGDETECT_SAMPLE_CHARS = 400
# langdetect's probability needed to name the language.
LANGDETECT_MIN_PROB = 0.6
# The key of Latin prose whose language no test could name (counted in "other").
UNIDENTIFIED = "other"

# Three words need at least this many characters (a letter, a separator, a letter, a
# separator, a letter): shorter Latin segments (numbers, punctuation) are not searched.
_MIN_RUN_CHARS = 2 * MIN_LATIN_RUN_WORDS - 1
# A segment of text with no letters of a script beyond Latin in it, long enough to hold a run
# of words (a maximal run: the engine skips the short ones without handing them to Python).
_LATIN_SEGMENT = re.compile(
    "[^\u0370-\u1dff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    f"\uff66-\uff9f\u3000-\u303f]{{{_MIN_RUN_CHARS},}}"
)
# Japanese quotation brackets: a Latin segment that is exactly their content is a quoted
# title (a talk, a paper, a product: 「Magnetism of Nano Materials」), named inside Japanese
# prose, not English prose; it counts for no language, like a brand name.
_QUOTE_PAIRS = frozenset({"「」", "『』"})
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['’][a-z]+)?")


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
    shares: tuple[tuple[str, float], ...] = ()  # (ISO 639-1 code, share), largest first


@functools.cache
def _function_words() -> tuple[tuple[str, frozenset[str]], ...]:
    data: Mapping[str, list[object]] = lexicon.load("function_words.yaml")
    return tuple((code, frozenset(str(w).lower() for w in words)) for code, words in data.items())


def _by_function_words(words: list[str]) -> str | None:
    """The Latin language whose function words clearly dominate ``words``, if one does."""
    counts = Counter(map(str.lower, words))  # C-level counting
    scores = sorted(
        ((sum(counts[w] for w in vocabulary if w in counts), code)
         for code, vocabulary in _function_words()),
        reverse=True,
    )  # fmt: skip
    (best, code), (second, _) = scores[0], scores[1]
    if best >= FUNCTION_WORD_SHARE * len(words) and best >= FUNCTION_WORD_MARGIN * second:
        return code
    return None


def _langdetect(sample: str, among: frozenset[str] | None = None) -> str | None:
    """langdetect's language of ``sample`` (ISO 639-1), if it is sure enough."""
    try:
        guesses = detect_langs(sample[:LANGDETECT_SAMPLE_CHARS])
    except LangDetectException:
        return None
    for guess in guesses:
        code = guess.lang.partition("-")[0]
        if guess.prob >= LANGDETECT_MIN_PROB and (among is None or code in among):
            return str(code)
    return None


def _latin_language(prose: str, words: list[str], use_langdetect: bool) -> str:
    code = _by_function_words(words)
    if code is None and use_langdetect and len(words) >= MIN_LANGDETECT_WORDS:
        code = _langdetect(prose)
    return code or UNIDENTIFIED


def _quoted(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is the whole content of Japanese quotation brackets."""
    return start > 0 and text[start - 1] + text[end : end + 1] in _QUOTE_PAIRS


def _count(text: str, use_langdetect: bool = True) -> dict[str, float]:
    """Weighted units per language code (and UNIDENTIFIED) of ``text``."""
    units = count_scripts(text)
    prose_parts = []
    words: list[str] = []  # the words of the prose: no word spans the spaces joining parts
    for match in _LATIN_SEGMENT.finditer(text):
        segment = match.group()
        found = _WORD.findall(segment)
        if len(found) >= MIN_LATIN_RUN_WORDS and not _quoted(text, match.start(), match.end()):
            prose_parts.append(segment)
            words += found
    letters = sum(map(len, words))
    if letters:
        prose = " ".join(prose_parts)
        code = _latin_language(prose, words, use_langdetect)
        units[code] = units.get(code, 0.0) + letters
    if use_langdetect and units:
        top = max(units, key=units.__getitem__)
        if top in SHARED_SCRIPT_CODES:
            _name_shared_script(units, top, text)
    return units


def _name_shared_script(units: dict[str, float], code: str, text: str) -> None:
    """Move the units of a shared script (Cyrillic, Arabic ...) to the language langdetect
    names, when it names another language."""
    named = _langdetect(text)
    if named and named != code and named not in units:
        units[named] = units.pop(code)


def _label(units: Mapping[str, float], total: float) -> str | None:
    if total <= 0:
        return None
    ranked = sorted(units.items(), key=lambda item: item[1], reverse=True)
    top, value = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if value < SINGLE_LANGUAGE_SHARE * total and second >= MIXED_MIN_SHARE * total:
        return "mixed"
    return top


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
    """Measure the language shares of the main content and label the page."""
    units = _count("\n".join(main))
    chrome = _count("\n".join(boilerplate), use_langdetect=False)  # menus: function words only
    if sum(units.values()) < MIN_MAIN_UNITS:
        units = _count("\n".join([title or "", *main, *boilerplate]))
    total, chrome_total = sum(units.values()), sum(chrome.values())
    ja, en = units.get("ja", 0.0), units.get("en", 0.0)
    shares = sorted(
        ((code, _share(value, total)) for code, value in units.items() if code != UNIDENTIFIED),
        key=lambda item: item[1],
        reverse=True,
    )
    return LanguageResult(
        label=_label(units, total),
        ja=_share(ja, total),
        en=_share(en, total),
        other=_share(total - ja - en, total),
        units=round(total, 1),
        boilerplate_ja=_share(chrome.get("ja", 0.0), chrome_total),
        boilerplate_en=_share(chrome.get("en", 0.0), chrome_total),
        declared=declared,
        hreflang=hreflang,
        mt_widget=mt_widget,
        shares=tuple(shares),
    )
