"""Crawls as a person runs them, for tests here and in a fresh install (tests/test_install.py).

`crawl_from_elsewhere` starts the simulated web, writes its seeds into one folder and runs
`clusterwatch crawl` from another, with a relative --seeds path and a relative --log-file, the
way someone types it; `check_output` lists what a person should not see.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clusterwatch.simweb import SimulatedWeb

FAST = {
    "CLUSTERWATCH_CRAWL_DELAY": "0",
    "CLUSTERWATCH_DOWNLOAD_TIMEOUT": "2",
    "CLUSTERWATCH_RETRY_TIMES": "1",
    "CLUSTERWATCH_CONCURRENT_SITES": "32",
    "CLUSTERWATCH_PAGE_BUDGET": "8",
}
PROGRESS_LINE = re.compile(r"^\s*\d+% sites \d+/\d+ · pages \d+ · errors \d+ · ")
MOST_PROGRESS_LINES = 10  # one per tenth of the sites


@dataclass(frozen=True)
class Crawl:
    result: subprocess.CompletedProcess[str]
    log_file: Path
    db_file: Path


def environment(home: Path, extra: dict[str, str], drop: Sequence[str] = ()) -> dict[str, str]:
    """The test's environment for a clusterwatch child: private XDG folders, fast crawl settings,
    no CLUSTERWATCH_* or proxy of the caller's, nothing named in `drop`."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("CLUSTERWATCH_") and k not in drop
    }
    env = {k: v for k, v in env.items() if k.lower() not in ("http_proxy", "https_proxy")}
    return {
        **env,
        **FAST,
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        **extra,
    }


def crawl_from_elsewhere(
    prefix: Sequence[str],
    home: Path,
    *args: str,
    proxy: dict[str, str] | None = None,
    drop: Sequence[str] = (),
) -> Crawl:
    """Crawl the simulated web (or a dead proxy, with proxy=...) from `home/elsewhere`."""
    seeds_folder, elsewhere = home / "seeds", home / "elsewhere"
    seeds_folder.mkdir(parents=True, exist_ok=True)
    elsewhere.mkdir(parents=True, exist_ok=True)
    with SimulatedWeb(phase=1) as web:
        web.write_seeds(seeds_folder / "seeds.yaml")
        env = environment(home, proxy if proxy is not None else web.proxy_env(), drop)
        command = [*prefix, "crawl", "--seeds", "../seeds/seeds.yaml", "--log-file", "crawl.log"]
        result = subprocess.run(
            [*command, *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    db_file = home / "data" / "clusterwatch" / "clusterwatch.sqlite3"
    return Crawl(result, elsewhere / "crawl.log", db_file)


def dead_proxy() -> dict[str, str]:
    """A proxy address where nothing listens: every site fails as if the network were down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"http://127.0.0.1:{probe.getsockname()[1]}"
    return {"http_proxy": address, "https_proxy": address}


def check_output(crawl: Crawl) -> list[str]:
    """What a person should not see after a crawl that is not verbose."""
    out, err = crawl.result.stdout, crawl.result.stderr
    found = []
    if "Traceback" in out + err or "Warning" in out + err:
        found.append(f"traceback or warning on the terminal: {err[-3000:]}")
    progress = [line for line in err.splitlines() if PROGRESS_LINE.match(line)]
    others = [line for line in err.splitlines() if line and not PROGRESS_LINE.match(line)]
    if len(progress) > MOST_PROGRESS_LINES or others:
        found.append(f"{len(progress)} progress lines and others on stderr: {others[:5]}")
    if not crawl.log_file.is_file():
        found.append(f"no log file at {crawl.log_file}")
    elif "Traceback" in crawl.log_file.read_text(encoding="utf-8"):
        found.append("a traceback in the log file")
    return found
