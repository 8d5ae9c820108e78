"""crawler.analysis.encoding: valid UTF-8 stays UTF-8; legacy codecs win only on evidence."""

from __future__ import annotations

import pytest

from clusterwatch.crawler.analysis import decode_html

GERMAN = "Ländliche Entwicklung: Bürger, Größe, Café, Übersicht und Ökologie im Jahr 2024. " * 3
JAPANESE = "神戸医療産業都市のお知らせです。クラスターの活動を紹介します。2024年3月15日"


def html(text: str, meta: str | None = None) -> str:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize("meta", [None, "utf-8", "iso-8859-1", "shift_jis", "euc-jp"])
@pytest.mark.parametrize("header", [None, "utf-8", "shift_jis", "iso-8859-1", "windows-1252"])
def test_valid_utf8_is_read_as_utf8_whatever_is_declared(
    meta: str | None, header: str | None
) -> None:
    for text in (GERMAN, JAPANESE, "Σύμφωνα με την ανακοίνωση", "Это новость о кластере"):
        decoded = decode_html(html(text, meta).encode("utf-8"), header)
        assert decoded.encoding == "utf-8"
        assert text in decoded.text


@pytest.mark.parametrize("header", [None, "iso-8859-1", "shift_jis"])
def test_a_declared_latin1_page_keeps_its_umlauts(header: str | None) -> None:
    body = html(GERMAN, "iso-8859-1").encode("cp1252")
    decoded = decode_html(body, header)
    assert GERMAN in decoded.text, decoded.encoding


def test_an_undeclared_latin1_page_is_not_read_as_japanese() -> None:
    decoded = decode_html(html(GERMAN).encode("cp1252"), None)
    assert "Ländliche" in decoded.text


@pytest.mark.parametrize(
    ("codec", "meta", "header"),
    [
        ("cp932", None, "iso-8859-1"),
        ("cp932", "iso-8859-1", "utf-8"),
        ("cp932", None, "utf-8"),
        ("euc_jp", "shift_jis", None),
        ("euc_jp", None, "shift_jis"),
        ("euc_jp", None, None),
        ("cp932", "euc-jp", None),
        ("iso2022_jp", None, "iso-8859-1"),
        ("iso2022_jp", "utf-8", None),
    ],
)
def test_japanese_codecs_survive_wrong_declarations(
    codec: str, meta: str | None, header: str | None
) -> None:
    decoded = decode_html(html(JAPANESE, meta).encode(codec), header)
    assert JAPANESE in decoded.text, decoded.encoding
    assert decoded.replaced == 0
