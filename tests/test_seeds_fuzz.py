"""The seeds loader under hostile YAML: it answers every input with seeds or SeedsError, quickly.

Hypothesis builds texts from YAML's own punctuation (anchors, aliases, merges, tags, flow and
block collections, deep nesting) mixed with valid seeds. Each case has a deadline: an input that
makes the loader expand or recurse (the 1 KB "billion laughs" file took 119 s before aliases were
refused) fails by time, not only by exception.
"""

from __future__ import annotations

from datetime import timedelta

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterwatch.crawler.seeds import Seed, SeedsError, parse_seeds
from tests.cli_bad_input import BILLION_LAUGHS

CASE_DEADLINE = timedelta(seconds=5)  # parsing a small seeds file takes milliseconds
VALID = (
    "clusters:\n"
    "  - id: kobe\n"
    "    name: Kobe Biomedical\n"
    "    sector: life_science\n"
    "    urls: [https://www.fbri-kobe.org/]\n"
    "    baseline_2016: {english_site: true, eu_partners: [BioM]}\n"
)
YAML_PIECES = st.sampled_from(
    [
        "&a ", "*a", "&b ", "*b", "<<: *a", "!!python/object:os.system ", "!!binary ", "!!set ",
        "!!timestamp ", "? ", ": ", "- ", "[", "]", "{", "}", ",", "\n", "\n  ", "\n    ", "'",
        '"', "#", "|", ">", "---", "...", "%YAML 1.1\n", "\t", "\x00", "\ufeff", "id", "clusters",
        "urls", "baseline_2016", "https://a.example.jp/", "2016-02-30", "~", "null", "yes", "1e999",
    ]
)  # fmt: skip
HOSTILE = st.lists(YAML_PIECES | st.text(max_size=8), max_size=60).map("".join)


def _answers_cleanly(text: str) -> None:
    try:
        seeds = parse_seeds(text, "fuzz.yaml")
    except SeedsError as error:
        assert all(problem.line >= 1 for problem in error.problems)
        assert str(error).startswith("fuzz.yaml:")
        return
    assert seeds and all(isinstance(seed, Seed) for seed in seeds)


@settings(max_examples=300, deadline=CASE_DEADLINE, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE)
def test_any_text_gives_seeds_or_a_seeds_error(text: str) -> None:
    _answers_cleanly(text)


@settings(max_examples=200, deadline=CASE_DEADLINE)
@given(st.integers(min_value=0, max_value=len(VALID)), HOSTILE)
def test_a_valid_file_with_hostile_text_spliced_in(position: int, inserted: str) -> None:
    _answers_cleanly(VALID[:position] + inserted + VALID[position:])


@settings(max_examples=50, deadline=CASE_DEADLINE)
@given(st.integers(min_value=1, max_value=5000), st.sampled_from(["[", "{a: ", "- "]))
def test_deep_nesting_is_refused_not_recursed(depth: int, opener: str) -> None:
    _answers_cleanly("clusters: " + opener * depth)


def test_billion_laughs_is_refused_at_the_first_anchor() -> None:
    try:
        parse_seeds(BILLION_LAUGHS, "laughs.yaml")
    except SeedsError as error:
        assert "laughs.yaml:1:" in str(error) and "aliases" in str(error)
    else:
        raise AssertionError("the billion-laughs file was accepted")


def test_an_alias_inside_a_valid_file_is_refused_with_its_line() -> None:
    text = VALID + "  - id: osaka\n    name: *kobe_name\n"
    try:
        parse_seeds(text, "s.yaml")
    except SeedsError as error:
        assert str(error).startswith("s.yaml:8:") and "aliases" in str(error)
    else:
        raise AssertionError("an alias was accepted")
    assert yaml.safe_load(VALID)  # the valid part alone is fine YAML
