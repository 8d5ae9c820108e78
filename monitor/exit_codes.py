"""One table of exit codes for every command, so cron jobs and schedulers can tell outcomes apart.

The table is data: the README, each command's help (as its epilog) and the tests all read it.
Commands signal bad input and failures by raising `BadInput` / `Failed` (click exceptions that
print one "Error: ..." line and exit with the code); click's own usage errors already exit 2.
"""

from __future__ import annotations

from enum import IntEnum

import click


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1
    BAD_INPUT = 2
    INCOMPLETE = 3
    BUSY = 4
    DEGRADED = 5


MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "ok",
    ExitCode.FAILED: "failed (a crash, an unreachable database server, a digest not sent)",
    ExitCode.BAD_INPUT: "bad input: options, settings, seeds, database URL; nothing was written",
    ExitCode.INCOMPLETE: "crawl incomplete (interrupted or over its time limit; recorded)",
    ExitCode.BUSY: "busy: another crawl or evaluation holds the lock",
    ExitCode.DEGRADED: "degraded: the network looked down during the crawl; nothing was judged",
}


def help_epilog() -> str:
    """The table as the epilog of every command's --help (\b keeps click from rewrapping it)."""
    rows = "\n".join(f"  {int(code)}  {text}" for code, text in MEANINGS.items())
    return f"\b\nExit status:\n{rows}"


def readme_table() -> str:
    """The table as Markdown, the way the README shows it."""
    rows = "\n".join(f"| {int(code)} | {text} |" for code, text in MEANINGS.items())
    return f"| exit status | meaning |\n|---|---|\n{rows}"


class BadInput(click.ClickException):
    """Input the user can fix (an option, a setting, a file, a URL); exits 2, nothing written."""

    exit_code = int(ExitCode.BAD_INPUT)


class Failed(click.ClickException):
    """The command could not do its work for a reason outside the input; exits 1."""

    exit_code = int(ExitCode.FAILED)
