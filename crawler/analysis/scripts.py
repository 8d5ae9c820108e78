"""Letters of a text counted by writing system, as weighted units per language code.

In: text. Out: ``{ISO 639-1 code: units}`` for every script beyond Latin that the text holds
(Japanese, Chinese, Korean, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai, Armenian,
Georgian). Latin letters are left to ``language``, which tells English from the other Latin
languages by their words.

A script settles the language without any statistical detector, except for scripts that
several languages share: their letters go to the script's most common language on the web
(Cyrillic: Russian, Arabic: Arabic, Devanagari: Hindi), and ``language`` may ask langdetect
which one it is when that script leads a page.
"""

from __future__ import annotations

import re

# English needs about this many letters to say what Japanese or Chinese says in one character
# (parallel translations on bilingual cluster sites run 2.5-3.5 times longer in English) ...
HAN_WEIGHT = 3.0
# ... and about this many for one Hangul syllable block (two to three letters each).
HANGUL_WEIGHT = 2.0
# Kanji count as Japanese only if kana make up at least this share of the CJK characters;
# Han characters without kana are Chinese.
MIN_KANA_SHARE = 0.05

# Runs of characters beyond the Latin script, its punctuation and the CJK punctuation and
# full-width forms: one scan finds them, and a European page (none or few) stops here.
_BEYOND_LATIN = re.compile(
    "[^\x00-\u024f\u1e00-\u1eff\u2000-\u27ff\u3000-\u303f\uff00-\uff65\ufe30-\ufe4f]+"
)
_KANA = re.compile("[\u3040-\u309f\u30a0-\u30ff\uff66-\uff9f]+")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Alphabetic scripts: (runs of its letters, the language its letters count for, weight).
SCRIPTS: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]+"), "ko", HANGUL_WEIGHT),
    (re.compile("[\u0400-\u04ff\u0500-\u052f]+"), "ru", 1.0),
    (re.compile("[\u0370-\u03ff\u1f00-\u1fff]+"), "el", 1.0),
    (re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+"), "ar", 1.0),
    (re.compile("[\u0590-\u05ff]+"), "he", 1.0),
    (re.compile("[\u0900-\u097f]+"), "hi", 1.0),
    (re.compile("[\u0e00-\u0e7f]+"), "th", 1.0),
    (re.compile("[\u0530-\u058f]+"), "hy", 1.0),
    (re.compile("[\u10a0-\u10ff]+"), "ka", 1.0),
)
# Codes whose script several languages share: langdetect may name the language.
SHARED_SCRIPT_CODES = frozenset({"ru", "ar", "hi"})


def _letters(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def count_scripts(text: str) -> dict[str, float]:
    """Weighted units per language code of the letters beyond Latin in ``text``."""
    if text.isascii():
        return {}
    rest = "".join(_BEYOND_LATIN.findall(text))
    if not rest:
        return {}
    units: dict[str, float] = {}
    kana, han = _letters(_KANA, rest), _letters(_HAN, rest)
    japanese = kana >= MIN_KANA_SHARE * (kana + han)
    units["ja"] = (kana + han if japanese else kana) * HAN_WEIGHT
    units["zh"] = (0 if japanese else han) * HAN_WEIGHT
    if kana + han < len(rest):  # letters of other scripts remain
        for pattern, code, weight in SCRIPTS:
            found = _letters(pattern, rest)
            if found:
                units[code] = units.get(code, 0.0) + found * weight
    return {code: value for code, value in units.items() if value}
