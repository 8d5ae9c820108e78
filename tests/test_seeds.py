"""Tests for crawler.seeds: the real seeds file, each error kind with its line, a round trip."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterwatch.crawler.seeds import (
    MAX_CHARS,
    SECTORS,
    Seed,
    SeedProblem,
    SeedsError,
    load_seeds,
    parse_seeds,
)
from clusterwatch.db.models import Cluster

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "seeds"

#: The 13 cluster organisations of the 2017 ECCP briefing, section 3.3, with the URL it printed.
BRIEFING_2017_URLS = {
    "fbri-kobe": "http://www.ibri-kobe.org/english/cluster/",
    "kbic": "https://www.kobe-lsc.jp/en/",
    "osaka-bio": "https://osaka-bio.jp/",
    "fukushima-medical": "http://fuku-semi.jp/iryoku-pj/English/index.html",
    "kanagawa-life-innovation": "http://www.pref.kanagawa.jp/mlt/f531223/p1002234.html",
    "yrp": "http://www.yrp.co.jp/en/index.html",
    "okinawa-it-shinryo": "http://www.it-shinryo.org/en/index.html",
    "k-rip": "http://www.k-rip.gr.jp/",
    "kawasaki-gi": "http://www.kawasaki-gi.jp/english/",
    "namicpa": "http://namicpa.jp/",
    "asif": "http://www.as-if.jp/index.html",
    "chubu-jisedai": "http://www.nisri.jp/jisedai/",
    "miyagi-nga": "https://www.miyagicar-en.com/",
}

#: Known moves since 2017 (japan-clusters.md): the new address must follow the 2017 one.
KNOWN_MOVES = {
    "fbri-kobe": "https://www.fbri-kobe.org/english/about/",
    "namicpa": "https://namicpa.com/",
    "fukushima-medical": "https://fmddsc.jp/next-project/",
    "k-rip": "https://k-rip.gr.jp/",
}


@pytest.fixture(scope="module")
def real_seeds() -> list[Seed]:
    return load_seeds(ROOT / "config" / "seeds.yaml")


def test_real_seeds_cover_the_briefing_and_the_reference_list(real_seeds: list[Seed]) -> None:
    assert len(real_seeds) >= 40
    by_id = {seed.id: seed for seed in real_seeds}
    for cluster_id, url in BRIEFING_2017_URLS.items():
        assert by_id[cluster_id].home_url == url, cluster_id
        assert by_id[cluster_id].baseline_2016 is not None, cluster_id
    for cluster_id, new_url in KNOWN_MOVES.items():
        assert new_url in by_id[cluster_id].urls[1:], cluster_id
    kobe = by_id["fbri-kobe"].baseline_2016
    assert kobe is not None
    assert (kobe["english_site"], kobe["eu_partners"]) == (
        True,
        ["Flanders Bio", "Medicon Valley Alliance"],
    )


def test_real_seeds_are_sourced_and_distinct(real_seeds: list[Seed]) -> None:
    assert all(seed.source for seed in real_seeds)
    home_pages = Counter(seed.home_url for seed in real_seeds)
    assert [url for url, count in home_pages.items() if count > 1] == []
    assert {seed.sector for seed in real_seeds} <= set(SECTORS)


def test_good_fixture_loads_every_field() -> None:
    yrp, namicpa = load_seeds(FIXTURES / "good.yaml")
    assert yrp == Seed(
        id="yrp",
        name="Yokosuka Research Park",
        name_ja="横須賀リサーチパーク",
        sector="ict",
        prefecture="Kanagawa",
        urls=("http://www.yrp.co.jp/", "http://www.yrp.co.jp/en/index.html"),
        baseline_2016={"english_site": True, "eu_partners": []},
        source="ECCP briefing 2017, section 3.3",
    )
    assert (namicpa.name_ja, namicpa.prefecture, namicpa.baseline_2016, namicpa.source) == (
        None,
        None,
        None,
        None,
    )
    assert namicpa.home_url == "http://namicpa.jp/"
    assert hash(yrp) != hash(namicpa)  # hashable although baseline_2016 is a dict


def test_bad_fixture_reports_every_problem_in_line_order() -> None:
    path = FIXTURES / "bad_many.yaml"
    with pytest.raises(SeedsError) as caught:
        load_seeds(path)
    found = [(p.line, p.cluster, p.field) for p in caught.value.problems]
    assert found == [
        (4, "cluster 'yrp'", "sector"),
        (7, "cluster 'yrp'", "urls"),
        (8, "cluster 'yrp'", "website"),
        (9, "cluster 'yrp'", "id"),
        (13, "cluster #3", "id"),
        (15, "cluster #3", "urls"),
        (16, "cluster #4", "id"),
        (19, "cluster #4", "urls"),
        (20, "cluster #4", "baseline_2016"),
    ]
    lines = str(caught.value).splitlines()
    assert len(lines) == len(found)
    assert all(line.startswith(f"{path}:") for line in lines)
    assert lines[0] == (
        f"{path}:4: cluster 'yrp': field 'sector': 'telecom' is not one of "
        + ", ".join(SECTORS)
        + "; use one of them"
    )
    assert "first at line 2" in lines[3]
    assert isinstance(caught.value, ValueError)


CLUSTER = """\
clusters:
  - id: yrp
    name: Yokosuka Research Park
    sector: ict
    urls:
      - http://www.yrp.co.jp/
"""

YRP = "cluster 'yrp'"


def _with(old: str, new: str) -> str:
    """The valid CLUSTER with one edit."""
    assert old in CLUSTER
    return CLUSTER.replace(old, new)


# (YAML text, expected (line, cluster, field), words the message must contain), by error kind.
CASES = {
    "syntax": (_with("name: Yokosuka", "name: a: b"), (3, None, None), "YAML syntax"),
    "top level a list": ("- id: yrp\n", (1, None, None), "mapping"),
    "empty file": ("# nothing\n", (1, None, None), "empty"),
    "no clusters": ("{}\n", (1, None, "clusters"), "missing"),
    "clusters not a list": ("clusters: {id: yrp}\n", (1, None, "clusters"), "non-empty list"),
    "unknown top key": (CLUSTER + "version: 2\n", (7, None, "version"), "unknown key"),
    "unknown cluster key": (CLUSTER + "    sectr: ict\n", (7, YRP, "sectr"), "'sector'?"),
    "missing id": (_with("- id: yrp\n    ", "- "), (2, "cluster #1", "id"), "missing"),
    "bad id": (_with("id: yrp", "id: Y R P"), (2, "cluster #1", "id"), "a-z"),
    "id too long": (_with("id: yrp", "id: " + "y" * 65), (2, f"cluster '{'y' * 65}'", "id"), "64"),
    "name too long": (_with("Yokosuka Research Park", "Y" * 301), (3, YRP, "name"), "at most 300"),
    "numeric id": (_with("id: yrp", "id: 42"), (2, "cluster #1", "id"), "text"),
    "missing name": (_with("    name: Yokosuka Research Park\n", ""), (2, YRP, "name"), "missing"),
    "bad sector": (_with("sector: ict", "sector: telecom"), (4, YRP, "sector"), "'telecom'"),
    "urls missing": (
        _with("    urls:\n      - http://www.yrp.co.jp/\n", ""),
        (2, YRP, "urls"),
        "add",
    ),
    "urls empty": (
        _with("urls:\n      - http://www.yrp.co.jp/", "urls: []"),
        (5, YRP, "urls"),
        "empty",
    ),
    "urls a string": (_with("urls:\n      - ", "urls: "), (5, YRP, "urls"), "list"),
    "url not http": (_with("http://www", "ftp://www"), (6, YRP, "urls"), "http://"),
    "url no host": (_with("http://www.yrp.co.jp/", "http:///path"), (6, YRP, "urls"), "host"),
    "url space": (_with("yrp.co.jp/", "yrp.co.jp/a b"), (6, YRP, "urls"), "spaces"),
    "url not text": (_with("- http://www.yrp.co.jp/", "- 42"), (6, YRP, "urls"), "URL"),
    "url bad port": (_with("yrp.co.jp/", "yrp.co.jp:http/"), (6, YRP, "urls"), "malformed"),
    "baseline a list": (CLUSTER + "    baseline_2016: [1]\n", (7, YRP, "baseline_2016"), "mapping"),
    "baseline bad date": (
        CLUSTER + "    baseline_2016: {seen: 2016-02-30}\n",
        (7, YRP, "baseline_2016"),
        "unreadable",
    ),
    "duplicate key": (CLUSTER + "    sector: food\n", (7, YRP, "sector"), "first at line 4"),
    "duplicate nested key": (
        CLUSTER + "    baseline_2016: {a: 1, a: 2}\n",
        (7, YRP, "a"),
        "duplicate key",
    ),
    "duplicate id": (
        CLUSTER + CLUSTER.removeprefix("clusters:\n"),
        (7, YRP, "id"),
        "first at line 2",
    ),
    "blank optional": (CLUSTER + "    source: ''\n", (7, YRP, "source"), "non-empty"),
    "cluster not a mapping": ("clusters:\n  - yrp\n", (2, "cluster #1", None), "mapping"),
}


@pytest.mark.parametrize(("text", "where", "words"), CASES.values(), ids=CASES.keys())
def test_each_error_kind_names_line_cluster_and_field(
    text: str, where: tuple[int, str | None, str | None], words: str
) -> None:
    with pytest.raises(SeedsError) as caught:
        parse_seeds(text, "config/seeds.yaml")
    problems = caught.value.problems
    assert [(p.line, p.cluster, p.field) for p in problems] == [where], str(caught.value)
    assert words in problems[0].message
    assert str(caught.value).startswith(f"config/seeds.yaml:{where[0]}: ")


def test_the_base_case_of_the_error_table_is_valid() -> None:
    assert [seed.id for seed in parse_seeds(CLUSTER)] == ["yrp"]


def test_one_bad_cluster_refuses_the_whole_file(tmp_path: Path) -> None:
    other = CLUSTER.removeprefix("clusters:\n").replace("yrp", "other")
    path = tmp_path / "seeds.yaml"
    path.write_text(CLUSTER + other.replace("sector: ict", "sector: space"), encoding="utf-8")
    with pytest.raises(SeedsError, match=r"seeds\.yaml:9: cluster 'other': field 'sector'"):
        load_seeds(path)


def test_unreadable_file_is_a_seeds_error(tmp_path: Path) -> None:
    with pytest.raises(SeedsError, match="cannot read"):
        load_seeds(tmp_path / "missing.yaml")


def test_problem_without_cluster_or_field_formats_plainly() -> None:
    assert str(SeedProblem("s.yaml", 3, None, None, "bad")) == "s.yaml:3: bad"


_ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)
# No control characters or line separators: PyYAML's dumper folds e.g. "\x85" into a space.
_letters = st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"))
_text = st.text(_letters, min_size=1, max_size=30).filter(lambda value: value.strip() != "")
_urls = st.builds(
    "{}://{}.jp/{}".format,
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z0-9]{1,10}(\.[a-z0-9]{1,10})?", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9_~./-]{0,20}", fullmatch=True),
)
_cluster = st.fixed_dictionaries(
    {
        "name": _text,
        "sector": st.sampled_from(SECTORS),
        "urls": st.lists(_urls, min_size=1, max_size=3),
    },
    optional={
        "name_ja": _text,
        "prefecture": _text,
        "source": _text,
        "baseline_2016": st.dictionaries(
            st.sampled_from(["english_site", "note"]), st.booleans() | _text
        ),
    },
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_ids, _cluster), min_size=1, max_size=4, unique_by=lambda pair: pair[0]))
def test_any_valid_file_round_trips(clusters: list[tuple[str, dict[str, object]]]) -> None:
    document = {"clusters": [{"id": cluster_id, **fields} for cluster_id, fields in clusters]}
    seeds = parse_seeds(yaml.safe_dump(document, allow_unicode=True))
    assert [seed.id for seed in seeds] == [cluster_id for cluster_id, _ in clusters]
    for seed, (_, fields) in zip(seeds, clusters, strict=True):
        assert seed.urls == tuple(fields["urls"])  # type: ignore[arg-type]
        assert (seed.name, seed.sector) == (fields["name"], fields["sector"])
        assert seed.name_ja == fields.get("name_ja")
        assert seed.source == fields.get("source")
        assert seed.baseline_2016 == fields.get("baseline_2016")


def test_problems_are_dedented_into_single_lines() -> None:
    text = textwrap.dedent(
        """\
        clusters:
          - id: a
            name: A
            sector: nope
            urls: [mailto:x@y.jp]
        """
    )
    with pytest.raises(SeedsError) as caught:
        parse_seeds(text, "f.yaml")
    assert [line.split(":")[1] for line in str(caught.value).splitlines()] == ["4", "5"]


def test_field_widths_are_the_database_columns() -> None:
    """A seed that passes the check fits its column on PostgreSQL."""
    columns = Cluster.__table__.c
    assert {key: getattr(columns[key].type, "length", None) for key in MAX_CHARS} == MAX_CHARS
