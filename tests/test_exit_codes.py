"""Every command refuses bad input with its documented exit status, one message, no traceback."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from clusterwatch.monitor.cli import COMMANDS, cli
from clusterwatch.monitor.exit_codes import MEANINGS
from tests.cli_bad_input import CASES, problems

PREFIX = (sys.executable, "-m", "clusterwatch.monitor.cli")


def test_the_table_covers_every_command_and_only_documented_codes() -> None:
    assert {case.command for case in CASES} == set(COMMANDS)
    assert {case.code for case in CASES} <= {int(code) for code in MEANINGS}


def test_every_command_refuses_bad_input_cleanly(tmp_path: Path) -> None:
    assert problems(PREFIX, tmp_path) == []


def test_every_command_s_help_ends_with_the_table() -> None:
    for name in COMMANDS:
        result = CliRunner().invoke(cli, [name, "-h"])
        assert result.exit_code == 0, result.output
        lines = [line.strip() for line in result.output.splitlines()]
        assert "Exit status:" in lines, name
        for code, meaning in MEANINGS.items():
            assert f"{int(code)}  {meaning}" in lines, (name, code)
