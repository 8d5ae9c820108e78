"""Decoding raw HTML bytes to text, robust to missing and wrong charset declarations.

In: the raw body and the charset named by the HTTP Content-Type header (or None).
Out: ``DecodedText`` with the text, the codec actually used and the number of U+FFFD
replacement characters left in the text.

Order of trust, each step on a bounded prefix:
1. a byte-order mark;
2. bytes with non-ASCII characters that decode strictly as UTF-8 are UTF-8, whatever is
   declared: legacy-encoded text with a few dozen non-ASCII bytes is never valid UTF-8 by
   chance, while "charset=Shift_JIS" on a UTF-8 page is a common leftover;
3. the page's own ``<meta charset>``, then the HTTP header, when the codec decodes strictly
   and no Japanese codec decodes the same bytes strictly better (into kana-rich Japanese
   where the declared codec gives none: a Shift_JIS page served as ISO-8859-1, an EUC-JP
   page labelled Shift_JIS);
4. Japanese codecs by strict trial decoding, judged by full-width kana (Latin-1 text read
   as Shift_JIS gives scattered kanji and half-width katakana, never kana-rich prose);
5. charset-normalizer, then windows-1252 (the web's default for undeclared legacy pages).
The chosen codec then decodes the whole body with replacement, so a 10 MB body costs one
linear decode; the prefix it already decoded strictly during the choice is reused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

# Bytes of the body examined when choosing a codec; the rest is only decoded.
SNIFF_BYTES = 64 * 1024
# Bytes searched for a <meta charset> declaration (HTML requires it within the first 1024;
# real pages put it after long comments, so look further).
META_SCAN_BYTES = 8 * 1024
# A Japanese re-decode must turn at least this share of its non-ASCII characters into kana,
# kanji or Japanese punctuation to be believed ...
JAPANESE_SHARE = 0.6
# ... and at least this share of them into full-width kana (Japanese prose is 30-60% kana;
# mis-decoded Latin-1 or EUC-JP bytes give kanji and half-width katakana, hardly any kana).
KANA_SHARE = 0.15
# Invalid UTF-8 is still UTF-8 when at most this share of its non-ASCII characters are broken
# (legacy text read as UTF-8 breaks on nearly every one).
UTF8_MAX_BROKEN_SHARE = 0.2
# Undeclared legacy bytes that nothing recognises are read as windows-1252, as browsers do.
FALLBACK_CODEC = "cp1252"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.IGNORECASE
)
# Labels that Python does not know or maps to a narrower codec than browsers use.
_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "ms_kanji": "cp932",
    "csshiftjis": "cp932",
    "x-euc-jp": "euc_jp",
    "euc-jp": "euc_jp",
    "eucjp": "euc_jp",
    "iso-2022-jp": "iso2022_jp_ext",
    "csiso2022jp": "iso2022_jp_ext",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "unicode": "utf-8",
    "utf8": "utf-8",
}
# Tried in this order when the declarations fail; ISO-2022-JP only when its escape appears.
_JAPANESE_TRIALS = ("cp932", "euc_jp")
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J")
# The byte every ISO-2022-JP escape starts with: one memchr for it spares the three
# escape searches on the pages that have none (almost all).
_ESC = b"\x1b"
# Codecs that carry no state from one character to the next: a body decoded as its strictly
# decoded prefix plus the rest decoded on its own equals the body decoded in one go.
# (ISO-2022-JP and UTF-16 carry state, so they are decoded in one go.)
_STATELESS_CODECS = frozenset({"utf-8", "cp932", "euc_jp", "cp1252"})
# Non-ASCII characters that are not kana, kanji or Japanese punctuation / full-width forms.
_NON_ASCII_NON_JAPANESE = re.compile(
    "[^\x00-\x7f\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
)
# Runs of full-width hiragana and katakana.
_KANA_RUN = re.compile("[\u3041-\u30fa]+")
_NON_ASCII_BYTE = re.compile(b"[\x80-\xff]")


@dataclass(frozen=True)
class _Trial:
    """A codec that decoded ``sample[:length]`` strictly into ``text``."""

    codec: str
    text: str
    length: int


@dataclass(frozen=True)
class DecodedText:
    """Decoded text, the codec used, and how many U+FFFD replacements it contains."""

    text: str
    encoding: str
    replaced: int


def normalise_label(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None when it is unknown."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    cleaned = _ALIASES.get(cleaned, cleaned)
    try:
        return codecs.lookup(cleaned).name if cleaned not in _ALIASES.values() else cleaned
    except LookupError:
        return None


def _declared_meta(head: bytes) -> str | None:
    match = _META_CHARSET.search(head[:META_SCAN_BYTES])
    return normalise_label(match.group(1).decode("ascii")) if match else None


def _non_ascii_count(text: str) -> int:
    # Encoding with errors="ignore" drops exactly the non-ASCII characters, in C; a findall
    # would build a list of every kana and kanji of the page.
    return len(text) - len(text.encode("ascii", "ignore"))


def _strict(sample: bytes, codec: str) -> _Trial | None:
    # Cut at most 3 trailing bytes so a multi-byte character split by the prefix is not an error.
    for cut in range(4):
        length = len(sample) - cut
        try:
            return _Trial(codec, codecs.decode(sample[:length] if cut else sample, codec), length)
        except UnicodeDecodeError:
            continue
        except LookupError:
            return None
    return None


def _looks_japanese(text: str) -> bool:
    """Kana-rich Japanese: what a right Japanese codec gives and a wrong one does not."""
    non_ascii = _non_ascii_count(text)
    if not non_ascii:
        return False
    # Counting the few non-Japanese characters is cheaper than counting the Japanese ones.
    japanese = non_ascii - len(_NON_ASCII_NON_JAPANESE.findall(text))
    kana = sum(map(len, _KANA_RUN.findall(text)))
    return japanese >= JAPANESE_SHARE * non_ascii and kana >= KANA_SHARE * non_ascii


def _japanese_trial(sample: bytes, iso2022: bool, skip: str | None = None) -> _Trial | None:
    """The first Japanese codec (other than ``skip``) that decodes ``sample`` strictly into
    kana-rich Japanese."""
    trials = ("iso2022_jp_ext", *_JAPANESE_TRIALS) if iso2022 else _JAPANESE_TRIALS
    for codec in trials:
        if codec == skip:
            continue
        trial = _strict(sample, codec)
        if trial is not None and _looks_japanese(trial.text):
            return trial
    return None


def _declared(sample: bytes, codec: str, iso2022: bool) -> _Trial | None:
    """The strict decode of ``sample`` by a declared ``codec`` unless a Japanese codec decodes
    it strictly better; ``iso2022``: the sample holds an ISO-2022-JP escape."""
    if iso2022 and not codec.startswith("iso2022"):
        return None  # ISO-2022-JP is 7-bit: any ASCII-compatible codec "decodes" it as garbage
    trial = _strict(sample, codec)
    if trial is None or _looks_japanese(trial.text):
        return trial
    if _japanese_trial(sample, iso2022, skip=codec) is not None:
        return None  # e.g. Shift_JIS bytes served as ISO-8859-1: the Japanese reading wins
    return trial


def _mostly_utf8(sample: bytes) -> bool:
    """UTF-8 with a few broken sequences (an encoded surrogate, a cut character): legacy
    bytes read as UTF-8 break on almost every non-ASCII character instead."""
    text = sample.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    return broken <= UTF8_MAX_BROKEN_SHARE * _non_ascii_count(text)


def _choose(sample: bytes, header_charset: str | None) -> _Trial | str:
    """The codec for a body starting with ``sample``, with its strict decode of the sample
    when the choice made one."""
    iso2022 = _ESC in sample and any(escape in sample for escape in _ISO2022_ESCAPES)
    if _NON_ASCII_BYTE.search(sample):
        utf8 = _strict(sample, "utf-8")
        if utf8 is not None:
            return utf8  # valid UTF-8 with non-ASCII characters is UTF-8
        if _mostly_utf8(sample):
            return "utf-8"
    for codec in (_declared_meta(sample), normalise_label(header_charset)):
        accepted = _declared(sample, codec, iso2022) if codec else None
        if accepted:
            return accepted
    trial = _japanese_trial(sample, iso2022)
    if trial:
        return trial
    if not _NON_ASCII_BYTE.search(sample):
        return "iso2022_jp_ext" if iso2022 else "utf-8"
    guess = charset_normalizer.from_bytes(sample).best()
    if guess is not None:
        return normalise_label(guess.encoding) or FALLBACK_CODEC
    return FALLBACK_CODEC


def _decode(body: bytes, choice: _Trial | str) -> tuple[str, str]:
    """(text, codec): ``body`` decoded with replacement by the chosen codec, reusing the
    strictly decoded prefix where that gives the same text."""
    if isinstance(choice, str):
        return body.decode(choice, errors="replace"), choice
    if choice.length == len(body):
        return choice.text, choice.codec  # a strict decode of the whole body replaced nothing
    if choice.codec in _STATELESS_CODECS:
        rest = body[choice.length :].decode(choice.codec, errors="replace")
        return choice.text + rest, choice.codec
    return body.decode(choice.codec, errors="replace"), choice.codec


def decode_html(body: bytes, header_charset: str | None) -> DecodedText:
    """Decode an HTML (or XML) body, repairing wrong or missing charset declarations."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = body.decode(codec, errors="replace")
            return DecodedText(text, codec.removesuffix("-sig"), text.count("\ufffd"))
    text, codec = _decode(body, _choose(body[:SNIFF_BYTES], header_charset))
    return DecodedText(text, codec, text.count("\ufffd"))
