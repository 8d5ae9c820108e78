"""crawler.analysis on hostile pages: control characters, surrogates, NUL bytes, deep nesting,
random bytes and random markup. analyze() must return an analysis for every one of them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterwatch.crawler.analysis import PageInput, analyze

FETCHED = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
CONTENT_TYPES = (
    "text/html; charset=utf-8",
    "text/html; charset=shift_jis",
    "text/html",
    "application/xml",
    "application/rss+xml",
    "",
)
TAGS = ("p", "div", "li", "ul", "nav", "a", "b", "title", "meta", "time", "script", "table", "td")


def page(body: bytes, content_type: str = "text/html; charset=utf-8") -> PageInput:
    return PageInput("https://x.example.jp/", "https://x.example.jp/", 200,
                     {"content-type": content_type}, body, FETCHED)  # fmt: skip


@pytest.mark.parametrize("control", ["\x07", "\x0c", "\x00", "\x1b", "\ufffe", "\uffff"])
def test_a_control_character_inside_a_paragraph_is_analysed(control: str) -> None:
    html = f"<html><body><p>Dear{control}reader, the cluster met on 2024-03-15.</p></body></html>"
    result = analyze(page(html.encode("utf-8")))
    assert "reader, the cluster met" in result.text
    assert "Dear" in result.text and control not in result.text


def test_lone_surrogates_and_nul_bytes_are_analysed() -> None:
    text = "クラスターの活動報告を掲載しました。" * 3
    body = f"<p>{text} \ud800 活動報告 \udfff</p>".encode("utf-8", "surrogatepass")
    result = analyze(page(body + b"\x00<p>\x00news</p>"))
    assert "活動報告" in result.text and "news" in result.text


def test_a_hundred_thousand_nested_elements_are_analysed() -> None:
    for tag in (b"div", b"b", b"li"):
        body = b"<p>before</p>" + b"<" + tag + b">" * 100_000 + b"deep"
        assert "before" in analyze(page(body)).text


_text = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=40
)  # any code point, surrogates and controls included


@st.composite
def markup(draw: st.DrawFn) -> str:
    """Tag soup: random tags, attributes and text, opened and closed in any order."""
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(st.sampled_from(TAGS))
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(f"<{tag} class='{draw(_text)}' lang='{draw(_text)}'>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(_text))
    return "".join(parts)


@given(markup(), st.sampled_from(CONTENT_TYPES), st.sampled_from(("utf-8", "cp932", "utf-16")))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_analyze_never_raises_on_random_markup(html: str, content_type: str, codec: str) -> None:
    body = html.encode(codec, "surrogatepass" if codec == "utf-8" else "replace")
    result = analyze(page(body, content_type))
    assert result.kind in ("html", "feed", "sitemap", "other")
    assert result.language.label is None or result.language.units > 0


@given(st.binary(max_size=3000), st.sampled_from(CONTENT_TYPES))
@settings(max_examples=100, deadline=None)
def test_analyze_never_raises_on_random_bytes_of_any_type(body: bytes, content_type: str) -> None:
    result = analyze(page(b"<html><body><p>" + body, content_type))
    assert result.kind in ("html", "feed", "sitemap", "other")
