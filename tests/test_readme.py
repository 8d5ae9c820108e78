"""The README tells the truth: settings and exit codes as declared, the test command the one CI runs."""

from __future__ import annotations

from pathlib import Path

from clusterwatch.monitor import exit_codes, settings_table
from clusterwatch.monitor.settings import DESCRIPTIONS, Settings, env_name

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_has_a_description_and_is_in_the_readme() -> None:
    names = list(Settings.model_fields)
    assert all(DESCRIPTIONS[name] for name in names)
    missing = [env_name(name) for name in names if f"`{env_name(name)}`" not in README]
    assert missing == []


def test_the_readme_settings_table_is_generated_from_the_declarations() -> None:
    assert settings_table.readme_table() in README


def test_the_readme_exit_code_table_is_the_one_every_command_uses() -> None:
    assert exit_codes.readme_table() in README


def test_ci_runs_the_readme_test_command() -> None:
    command = ".venv/bin/python -m pytest"
    assert f"\n{command}\n" in README
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci_lines[-1] == command


def test_the_readme_screenshots_exist() -> None:
    for name in ("overview", "queue", "cluster"):
        assert f"docs/screenshots/{name}.png" in README
        assert (ROOT / "docs" / "screenshots" / f"{name}.png").stat().st_size > 10_000
