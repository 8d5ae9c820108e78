"""clusterwatch.monitor.identity: whether two home-page titles name the same organisation."""

from __future__ import annotations

import pytest

from clusterwatch.monitor.identity import same_organisation, title_tokens


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "トップページ | 公益財団法人 神戸医療産業都市推進機構",
            "神戸医療産業都市推進機構 - ホーム",
        ),
        ("Yokosuka Research Park (YRP)", "YRP | 横須賀リサーチパーク"),
        ("ＮＡＭＩＣＰＡ　長崎海洋産業クラスター", "namicpa | Nagasaki Marine Industry Cluster"),
        ("Home", "Best online casino bonuses"),  # nothing distinctive before: no judgement
    ],
)
def test_the_same_organisation_in_other_words(old: str, new: str) -> None:
    assert same_organisation(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("長崎海洋産業クラスター形成推進協議会", "格安レンタルサーバー比較ランキング"),
        ("公益財団法人 ふくしま医療機器産業推進機構", "一般社団法人 日本ゴルフ振興協会"),
        ("Kobe Biomedical Innovation Cluster", "Best online casino bonuses 2026"),
    ],
)
def test_someone_else(old: str, new: str) -> None:
    assert not same_organisation(old, new)


def test_words_every_site_uses_are_not_an_identity() -> None:
    assert title_tokens("トップページ | 公式サイト | Official Website | Home") == frozenset()
