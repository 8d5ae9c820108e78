"""Every command refuses bad input with its documented exit status, one message, no traceback."""

from __future__ import annotations

import sys
from pathlib import Path

from clusterwatch.monitor.cli import COMMANDS
from clusterwatch.monitor.exit_codes import MEANINGS
from tests.cli_bad_input import CASES, problems

PREFIX = (sys.executable, "-m", "clusterwatch.monitor.cli")


def test_the_table_covers_every_command_and_only_documented_codes() -> None:
    assert {case.command for case in CASES} == set(COMMANDS)
    assert {case.code for case in CASES} <= {int(code) for code in MEANINGS}


def test_every_command_refuses_bad_input_cleanly(tmp_path: Path) -> None:
    assert problems(PREFIX, tmp_path) == []
