"""The CLI bad-input table: every command given bad input, with the exit status it must give.

Shared by tests/test_exit_codes.py (this checkout) and tests/test_install.py (a fresh virtual
environment made by the README's first command). Each case runs the real command in a child
process, in an empty folder with its own XDG folders, so no case can see the machine's data.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@dataclass(frozen=True)
class Case:
    command: str  # the top-level command this case covers
    args: tuple[str, ...]
    code: int
    says: str  # a piece of the message
    env: dict[str, str] = field(default_factory=dict)


PARALLEL_CASES = 4  # child processes at once (most of their time is Python starting)
MISSING_DB = "sqlite:///{tmp}/nowhere/missing.sqlite3"
CASES: tuple[Case, ...] = (
    Case("config", ("config", "show"), 2, "page_budget", {"CLUSTERWATCH_PAGE_BUDGET": "0"}),
    Case("config", ("--config", "nowhere.toml", "config", "show"), 2, "config file not found"),
    Case("crawl", ("crawl", "--seeds", "missing.yaml"), 2, "missing.yaml"),
    Case("crawl", ("crawl", "--seeds", "laughs.yaml"), 2, "alias"),
    Case("crawl", ("crawl", "--only", "no-such-cluster"), 2, "no-such-cluster"),
    Case("crawl", ("crawl", "--db", "notaurl"), 2, "does not parse"),
    Case("crawl", ("crawl", "--db", "mysql://u@127.0.0.1/db"), 2, "not supported"),
    Case("crawl", ("crawl", "--db", "sqlite:////proc/clusterwatch/x.sqlite3"), 2, "/proc"),
    Case("crawl", ("crawl",), 2, "crawl_delay", {"CLUSTERWATCH_CRAWL_DELAY": "-1"}),
    Case("demo", ("demo", "--nights", "9"), 2, "--nights"),
    Case(
        "db",
        ("db", "upgrade", "--revision", "bogus", "--db", "sqlite:///{tmp}/u.sqlite3"),
        2,
        "bogus",
    ),
    Case("db", ("db", "current", "--db", MISSING_DB), 2, "no database"),
    Case("evaluate", ("evaluate", "--db", MISSING_DB), 2, "no database"),
    Case("status", ("status", "--db", MISSING_DB), 2, "no database"),
    Case("status", ("status", "--db", "postgresql://nobody@127.0.0.1:1/x"), 1, "cannot be used"),
    Case("flags", ("flags", "--db", MISSING_DB), 2, "no database"),
    Case("review", ("review", "99999999999999999999999", "--confirm"), 2, "FLAG_ID"),
    Case("override", ("override", "kobe", "status", "bogus"), 2, "VALUE"),
    Case("history", ("history", "kobe", "--db", MISSING_DB), 2, "no database"),
    Case("report", ("report", "--out", "no-folder/report.csv"), 2, "does not exist"),
    Case(
        "schedule",
        ("schedule", "--list"),
        2,
        "Mars/Base",
        {"CLUSTERWATCH_CRAWL_TIMEZONE": "Mars/Base"},
    ),
    Case("digest", ("digest", "--out", "no-folder/digest.eml"), 2, "does not exist"),
    Case("digest", ("digest", "--week", "2026-W99"), 2, "--week"),
    Case("serve", ("serve", "--port", "99999"), 2, "--port"),
    Case("user", ("user", "list", "--db", MISSING_DB), 2, "no database"),
    Case("cluster", ("cluster", "retire", "kobe", "--db", MISSING_DB), 2, "no database"),
    Case(
        "cluster",
        ("cluster", "add", "x", "--name", "X", "--sector", "toys", "--url", "https://x.jp/"),
        2,
        "field 'sector'",
    ),
    Case("seeds", ("seeds", "import", "laughs.yaml"), 2, "alias"),
    Case("seeds", ("seeds", "export", "no-folder/seeds.yaml"), 2, "does not exist"),
    Case("candidates", ("candidates", "--db", MISSING_DB), 2, "no database"),
    Case("candidates", ("candidates", "--state", "maybe"), 2, "--state"),
    Case("candidates", ("candidates", "accept", "x"), 2, "CANDIDATE_ID"),
    Case("hub", ("hub", "add", "ftp://x.jp/list"), 2, "field 'url'"),
    Case("hub", ("hub", "list", "--db", MISSING_DB), 2, "no database"),
)


def run_case(
    prefix: Sequence[str], case: Case, folder: Path, drop: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """Run one case with `prefix` (the command that starts clusterwatch) inside `folder`;
    `drop` names environment variables the child must not inherit."""
    (folder / "laughs.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CLUSTERWATCH_") and key not in ("http_proxy", "https_proxy", *drop)
    }
    env |= {
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "COLUMNS": "100",
        **case.env,
    }
    args = [arg.replace("{tmp}", str(folder)) for arg in case.args]
    return subprocess.run(
        [*prefix, *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def check_case(
    prefix: Sequence[str], case: Case, folder: Path, drop: Sequence[str] = ()
) -> list[str]:
    """What is wrong with one case: the status, a traceback, no message, a database written."""
    folder.mkdir(parents=True, exist_ok=True)
    result = run_case(prefix, case, folder, drop)
    output = result.stdout + result.stderr
    found = []
    if result.returncode != case.code:
        found.append(f"{case.args}: exit {result.returncode}, expected {case.code}: {output}")
    elif "Traceback" in output or case.says not in output:
        found.append(f"{case.args}: expected {case.says!r} and no traceback: {output}")
    created = list(folder.rglob("*.sqlite3")) + list(folder.rglob("missing*"))
    if created:
        found.append(f"{case.args}: wrote {created}")
    return found


def problems(prefix: Sequence[str], folder: Path, drop: Sequence[str] = ()) -> list[str]:
    """Every case's problems; cases run a few at a time, each in its own folder."""
    with ThreadPoolExecutor(max_workers=PARALLEL_CASES) as pool:
        results = pool.map(
            lambda item: check_case(prefix, item[1], folder / f"case-{item[0]}", drop),
            enumerate(CASES),
        )
        return [problem for found in results for problem in found]
