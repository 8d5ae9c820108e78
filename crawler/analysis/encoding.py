"""Decoding raw HTML bytes to text, robust to missing and wrong charset declarations.

In: the raw body and the charset named by the HTTP Content-Type header (or None).
Out: ``DecodedText`` with the text, the codec actually used and the number of U+FFFD
replacement characters left in the text.

Order of trust: a byte-order mark; the page's own ``<meta charset>`` / ``<meta http-equiv>``;
the HTTP header. Each candidate is validated on a bounded prefix: it must decode strictly and
must not produce mojibake (text full of Latin-1 accented letters or U+FFFD while a Japanese
codec decodes the same bytes cleanly into kana and kanji). Failing that, Japanese codecs are
tried by strict trial decoding, then charset-normalizer on a bounded prefix. The chosen codec
then decodes the whole body with replacement, so a 10 MB body costs one linear decode; the
prefix it already decoded strictly during the choice is reused, not decoded a second time.
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
# A decode is mojibake when at least this share of its non-ASCII characters are Latin-1
# letters, C1 controls or U+FFFD (real Japanese text has none of them).
MOJIBAKE_SHARE = 0.3
# ... and it has at least this many such characters (a few accented names are fine).
MOJIBAKE_MIN_CHARS = 8
# A Japanese re-decode must turn at least this share of its non-ASCII characters into kana,
# kanji or Japanese punctuation to be believed.
JAPANESE_SHARE = 0.6

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
_JAPANESE_TRIALS = ("utf-8", "cp932", "euc_jp")
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J")
# The byte every ISO-2022-JP escape starts with: one memchr for it spares the three
# escape searches on the pages that have none (almost all).
_ESC = b"\x1b"
# Codecs that carry no state from one character to the next: a body decoded as its strictly
# decoded prefix plus the rest decoded on its own equals the body decoded in one go.
# (ISO-2022-JP and UTF-16 carry state, so they are decoded in one go.)
_STATELESS_CODECS = frozenset({"utf-8", "cp932", "euc_jp", "cp1252"})
# Latin-1 range, U+FFFD and the cp1252 extras that mis-decoded Shift_JIS/EUC-JP/UTF-8 produce.
_MOJIBAKE_CHARS = re.compile(
    "[\u0080-\u00ff\ufffd\u2018-\u201e\u2020-\u2030\u0152\u0153\u0160\u0161\u0178\u017d\u017e]"
)
# Non-ASCII characters that are not kana, kanji or Japanese punctuation / full-width forms.
_NON_ASCII_NON_JAPANESE = re.compile(
    "[^\x00-\x7f\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
)
_NON_ASCII = re.compile("[^\x00-\x7f]")
# In valid UTF-8 every non-ASCII character has one lead byte (0xC0 and up) and continuation
# bytes below it: deleting all bytes below 0xC0 leaves one byte per non-ASCII character.
_BELOW_LEAD_BYTES = bytes(range(0xC0))
# _MOJIBAKE_CHARS in valid UTF-8, counted on the bytes with C-level scans (the str regex
# costs about 0.3 ms on 64 KB of Japanese text): U+0080-U+00FF are exactly the characters
# with lead byte C2 or C3; the others have lead byte C5, E2 or EF and are matched by
# regexes with a literal prefix, which the engine finds as fast as ``bytes.find``.
_MOJIBAKE_LEADS_KEPT = bytes(b for b in range(256) if b not in b"\xc2\xc3\xc5\xe2\xef")
_MOJIBAKE_UTF8_TAILS = (
    (0xE2, re.compile(b"\xe2\x80[\x98-\x9e\xa0-\xb0]")),  # U+2018-U+201E, U+2020-U+2030
    (0xEF, re.compile(b"\xef\xbf\xbd")),  # U+FFFD
    (0xC5, re.compile(b"\xc5[\x92\x93\xa0\xa1\xb8\xbd\xbe]")),  # Œ œ Š š Ÿ Ž ž
)


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


def _mojibake_counts(trial: _Trial, sample: bytes) -> tuple[int, int]:
    """(mojibake characters, non-ASCII characters) of the trial's text; for UTF-8 counted
    on the bytes it decoded strictly (so they are valid UTF-8)."""
    if trial.codec != "utf-8":
        return len(_MOJIBAKE_CHARS.findall(trial.text)), _non_ascii_count(trial.text)
    raw = sample[: trial.length]
    leads = raw.translate(None, _MOJIBAKE_LEADS_KEPT)
    bad = leads.count(0xC2) + leads.count(0xC3)
    for lead, pattern in _MOJIBAKE_UTF8_TAILS:
        if lead in leads:
            bad += len(pattern.findall(raw))
    return bad, len(raw.translate(None, _BELOW_LEAD_BYTES))


def _is_mojibake(trial: _Trial, sample: bytes) -> bool:
    bad, non_ascii = _mojibake_counts(trial, sample)
    return bad >= MOJIBAKE_MIN_CHARS and bad >= MOJIBAKE_SHARE * max(non_ascii, 1)


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
    non_ascii = _non_ascii_count(text)
    if not non_ascii:
        return False
    # Counting the few non-Japanese characters is cheaper than counting the Japanese ones.
    japanese = non_ascii - len(_NON_ASCII_NON_JAPANESE.findall(text))
    return japanese >= JAPANESE_SHARE * non_ascii


def _acceptable(sample: bytes, codec: str, iso2022: bool) -> _Trial | None:
    """The strict decode of ``sample`` by ``codec`` if it is believable; ``iso2022``: the
    sample holds an ISO-2022-JP escape."""
    if iso2022 and not codec.startswith("iso2022"):
        return None  # ISO-2022-JP is 7-bit: any ASCII-compatible codec "decodes" it as garbage
    trial = _strict(sample, codec)
    return trial if trial is not None and not _is_mojibake(trial, sample) else None


def _japanese_trial(sample: bytes, iso2022: bool) -> _Trial | None:
    trials = ("iso2022_jp_ext", *_JAPANESE_TRIALS) if iso2022 else _JAPANESE_TRIALS
    for codec in trials:
        trial = _strict(sample, codec)
        if trial is not None and (_looks_japanese(trial.text) or not _NON_ASCII.search(trial.text)):
            return trial
    return None


def _choose(sample: bytes, header_charset: str | None) -> _Trial | str:
    """The codec for a body starting with ``sample``, with its strict decode of the sample
    when the choice made one."""
    iso2022 = _ESC in sample and any(escape in sample for escape in _ISO2022_ESCAPES)
    for codec in (_declared_meta(sample), normalise_label(header_charset)):
        accepted = _acceptable(sample, codec, iso2022) if codec else None
        if accepted:
            return accepted
    trial = _japanese_trial(sample, iso2022)
    if trial:
        return trial
    guess = charset_normalizer.from_bytes(sample).best()
    if guess is not None:
        return normalise_label(guess.encoding) or "utf-8"
    return "utf-8"


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
