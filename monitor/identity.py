"""Whether two home-page titles name the same organisation: the test behind content_replaced.

A cluster's domain that lapses is often bought by an unrelated business or a spam blog: the site
answers, in Japanese, with fresh dates, and nothing else looks wrong. What changes is who the
home page says it is. Titles are compared by their distinctive tokens (Latin words of three or
more letters, and bigrams of kana and kanji runs), leaving out words every site uses (home,
トップページ, 公式サイト ...). Any shared token counts as the same organisation: a redesign or a
reworded title keeps its name, so a flag needs titles with nothing in common.
"""

from __future__ import annotations

import re
import unicodedata

_LATIN_WORD = re.compile(r"[a-z0-9]{3,}")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]{2,}")
# Tokens that say nothing about who a site is (after NFKC and lower-casing).
GENERIC_WORDS = frozenset(
    {
        "home", "top", "index", "page", "site", "website", "official", "welcome", "the", "and",
        "for", "news", "english", "japanese", "japan", "inc", "ltd",
    }
)  # fmt: skip
GENERIC_PHRASES = (
    "ホームページ", "トップページ", "公式サイト", "ウェブサイト", "サイト", "ページ",
    "公益財団法人", "一般財団法人", "公益社団法人", "一般社団法人", "特定非営利活動法人",
    "財団法人", "社団法人", "株式会社", "有限会社", "npo法人",
)  # fmt: skip


def title_tokens(title: str) -> frozenset[str]:
    """The distinctive tokens of a page title."""
    text = unicodedata.normalize("NFKC", title).lower()
    for phrase in GENERIC_PHRASES:
        text = text.replace(phrase, " ")
    words = {w for w in _LATIN_WORD.findall(text) if w not in GENERIC_WORDS}
    bigrams = {run[i : i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)}
    return frozenset(words | bigrams)


def same_organisation(old_title: str, new_title: str) -> bool:
    """False only when both titles say something distinctive and share none of it."""
    old, new = title_tokens(old_title), title_tokens(new_title)
    return not old or not new or bool(old & new)
