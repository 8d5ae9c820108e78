"""Settings: precedence, ranges, paths relative to the config file, and `clusterwatch config show`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from clusterwatch.monitor.cli import cli
from clusterwatch.monitor.settings import (
    SettingsError,
    load_with_sources,
    packaged_seeds_path,
    with_overrides,
)


def test_file_then_environment_then_option_with_sources(tmp_path: Path) -> None:
    config = tmp_path / "cw.toml"
    config.write_text('page_budget = 5\ncrawl_depth = 2\nseeds = "mine.yaml"\n', encoding="utf-8")
    env = {"CLUSTERWATCH_PAGE_BUDGET": "7", "XDG_CONFIG_HOME": str(tmp_path / "none")}
    settings, sources = load_with_sources(config, env)
    assert (settings.page_budget, settings.crawl_depth) == (7, 2)
    assert settings.seeds == str(tmp_path / "mine.yaml")  # relative to the config file
    assert sources["page_budget"] == "environment CLUSTERWATCH_PAGE_BUDGET"
    assert sources["crawl_depth"] == str(config)
    assert with_overrides(settings, {"page_budget": 9}).page_budget == 9


def test_defaults_need_no_file_and_seeds_come_with_the_package(tmp_path: Path) -> None:
    settings, sources = load_with_sources(None, {"XDG_CONFIG_HOME": str(tmp_path)})
    assert sources == {}
    assert settings.seeds == packaged_seeds_path() and Path(settings.seeds).is_file()


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("CRAWL_DELAY", "-0.5", "greater than or equal to 0"),
        ("PAGE_BUDGET", "0", "greater than or equal to 1"),
        ("PAGE_BUDGET", "99999999999999999999", "less than or equal to"),
        ("CONCURRENT_SITES", "many", "valid integer"),
        ("DIGEST_TIMEZONE", "Europe/Atlantis", "unknown time zone"),
        ("BASE_URL", "ftp://x", "http://"),
        ("SMTP_STARTTLS", "perhaps", "valid boolean"),
    ],
)
def test_out_of_range_values_are_refused_naming_their_source(
    tmp_path: Path, name: str, value: str, says: str
) -> None:
    env = {f"CLUSTERWATCH_{name}": value, "XDG_CONFIG_HOME": str(tmp_path)}
    with pytest.raises(SettingsError) as caught:
        load_with_sources(None, env)
    assert f"environment CLUSTERWATCH_{name}" in str(caught.value) and says in str(caught.value)


@pytest.mark.parametrize(
    ("text", "says"),
    [("secret_key = 'x'", "is a secret"), ("budget = 3", "unknown setting"), ("a = [", "TOML")],
)
def test_bad_config_files_are_refused(tmp_path: Path, text: str, says: str) -> None:
    config = tmp_path / "cw.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=says):
        load_with_sources(config, {})


def test_config_show_lists_values_and_sources_and_hides_secrets(tmp_path: Path) -> None:
    env = {
        "CLUSTERWATCH_CRAWL_DEPTH": "4",
        "CLUSTERWATCH_SECRET_KEY": "do-not-print-me",
        "XDG_CONFIG_HOME": str(tmp_path),
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(cli, ["config", "show"], env=env)
    assert result.exit_code == 0, result.output
    depth = next(line for line in result.output.splitlines() if line.startswith("crawl_depth"))
    assert depth.split()[1:] == ["4", "environment", "CLUSTERWATCH_CRAWL_DEPTH"]
    assert "do-not-print-me" not in result.output and "(set)" in result.output


def test_the_discovery_budget_reaches_the_crawl_and_zero_turns_it_off(tmp_path: Path) -> None:
    from clusterwatch.monitor.crawl_runner import crawl_options

    home = {"XDG_CONFIG_HOME": str(tmp_path)}
    unset, _ = load_with_sources(None, home)
    assert crawl_options(unset, "sqlite://", 1).discovery_budget is None  # the data file's
    off, _ = load_with_sources(None, {**home, "CLUSTERWATCH_DISCOVERY_BUDGET": "0"})
    assert crawl_options(off, "sqlite://", 1).discovery_budget == 0
    with pytest.raises(SettingsError, match="discovery_budget"):
        load_with_sources(None, {**home, "CLUSTERWATCH_DISCOVERY_BUDGET": "-1"})
