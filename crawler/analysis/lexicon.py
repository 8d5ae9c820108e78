"""The curated word lists in ``crawler/analysis/data/``, loaded once and compiled to regexes.

Owns reading the packaged YAML files (the only I/O of the analysis package) and turning a
term list into one matcher: ASCII acronyms case-sensitive whole words, other ASCII terms
case-insensitive whole words, katakana terms not touching other katakana, and "=" / "・"
inside a term matching any of the separators Japanese sites use.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

_SEPARATORS = "[=＝゠・\\-‐ ]?"
_KATAKANA = "ァ-ヺー"
_ASCII = re.compile(r"^[\x20-\x7e]+$")
_KATAKANA_TERM = re.compile(rf"^[{_KATAKANA}=・]+$")


@dataclass(frozen=True)
class Entity:
    """A named thing the lexicon recognises, with its disambiguation rules."""

    name: str
    group: str
    requires_any: tuple[str, ...]
    not_followed_by: tuple[str, ...]
    needs_cooperation: bool


@functools.cache
def load(name: str) -> Mapping[str, Any]:
    """Parse one YAML data file of this package (cached: read once per process)."""
    text = (
        resources.files("clusterwatch.crawler.analysis").joinpath("data", name).read_text("utf-8")
    )
    data: Mapping[str, Any] = yaml.safe_load(text)
    return data


def key(term: str) -> str:
    """Lookup key of a matched term: case and separators removed."""
    return re.sub(r"[=＝゠・\-‐ ]", "", term).casefold()


# A character that continues a Latin-script word (accented letters too: "mission" is no word
# of "démission"); kanji and kana do not ("日EU" holds the term EU).
_WORD_CHAR = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")
_KATAKANA_CHAR = re.compile(f"[{_KATAKANA}]")


def fold(text: str) -> str:
    """Lower-case ASCII only, so positions in the folded text match the original.

    Through UTF-8 bytes: ``bytes.lower`` changes only the bytes A-Z, and every byte of a
    multi-byte character is 0x80 or above, so each character maps to itself or its ASCII
    lower case; ten times faster than ``str.translate`` on Japanese text. "surrogatepass"
    carries lone surrogates through unchanged.
    """
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class TermMatcher:
    """Finds lexicon terms; boundary and case rules are checked in Python after a plain
    alternation (lookbehinds in every branch would stop the regex engine's fast scan)."""

    pattern: re.Pattern[str]
    acronyms: frozenset[str]
    prefix: bool

    def finditer(
        self, text: str, folded: str | None = None, pos: int = 0, endpos: int | None = None
    ) -> Iterator[tuple[int, int, str]]:
        """(start, end, original text) of every valid term occurrence in ``text``, or in
        ``text[pos:endpos]`` (whole lines: no term spans a line break)."""
        haystack = fold(text) if folded is None else folded
        end_at = len(haystack) if endpos is None else endpos
        for match in self.pattern.finditer(haystack, pos, end_at):
            start, end = match.span()
            found = text[start:end]
            if found.isascii():
                if start and _WORD_CHAR.match(text[start - 1]):
                    continue
                if not self.prefix and _WORD_CHAR.match(text[end : end + 1]):
                    continue
                if match.group().upper() in self.acronyms and not found.isupper():
                    continue
            elif _KATAKANA_TERM.match(found) and (
                (start and _KATAKANA_CHAR.match(text[start - 1]))
                or _KATAKANA_CHAR.match(text[end : end + 1])
            ):
                continue
            yield start, end, found

    def search(self, text: str) -> bool:
        """True when ``text`` holds at least one valid occurrence."""
        return next(iter(self.finditer(text)), None) is not None


def _body(term: str) -> str:
    return _SEPARATORS.join(re.escape(fold(part)) for part in re.split(r"[=・]", term))


def compile_terms(terms: Iterable[str], prefix: bool = False) -> TermMatcher:
    """Matcher of any of ``terms`` (longest first, so 欧州連合 wins over 欧州)."""
    ordered = sorted(set(terms), key=len, reverse=True)
    acronyms = frozenset(t for t in ordered if _ASCII.match(t) and t.isupper())
    return TermMatcher(re.compile("|".join(_body(t) for t in ordered)), acronyms, prefix)


@functools.cache
def entities(group: str) -> tuple[TermMatcher, Mapping[str, Entity]]:
    """Matcher and key -> Entity map of one entity group of the EU lexicon."""
    table: dict[str, Entity] = {}
    terms: list[str] = []
    for row in load("eu_lexicon.yaml")[group]:
        entity = Entity(
            name=str(row["name"]),
            group=group,
            requires_any=tuple(str(t) for t in row.get("requires_any", ())),
            not_followed_by=tuple(str(t) for t in row.get("not_followed_by", ())),
            needs_cooperation=bool(row.get("needs_cooperation", group != "generic_international")),
        )
        for term in row["terms"]:
            terms.append(str(term))
            table[key(str(term))] = entity
    return compile_terms(terms), table


@functools.cache
def cooperation() -> TermMatcher:
    """Matcher of cooperation words (ASCII ones as word prefixes)."""
    return compile_terms((str(t) for t in load("eu_lexicon.yaml")["cooperation"]), prefix=True)
