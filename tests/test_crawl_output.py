"""A crawl's output is for a person: progress, a summary, the details in a log file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.crawl_output import PROGRESS_LINE, check_output, crawl_from_elsewhere, dead_proxy

pytestmark = pytest.mark.slow
PREFIX = (sys.executable, "-m", "clusterwatch.monitor.cli")


def test_a_crawl_from_another_folder_prints_progress_and_a_summary(tmp_path: Path) -> None:
    crawl = crawl_from_elsewhere(PREFIX, tmp_path)
    assert crawl.result.returncode == 0, crawl.result.stderr[-3000:]
    assert check_output(crawl) == []
    assert "run 1 complete: sites ok" in crawl.result.stdout
    assert crawl.db_file.is_file()  # the data folder, not the working folder
    progress = [line for line in crawl.result.stderr.splitlines() if PROGRESS_LINE.match(line)]
    assert progress and progress[-1].startswith("100% sites 25/25")
    log = crawl.log_file.read_text(encoding="utf-8")
    # the simulated dead domain is one line in the log, with the site and the reason
    failures = [line for line in log.splitlines() if "Gave up retrying" in line]
    assert failures and all("<GET http" in line for line in failures)


def test_quiet_with_the_network_down_prints_the_summary_and_exits_5(tmp_path: Path) -> None:
    crawl = crawl_from_elsewhere(PREFIX, tmp_path, "--quiet", proxy=dead_proxy())
    assert crawl.result.returncode == 5, crawl.result.stderr[-3000:]
    assert "degraded" in crawl.result.stdout
    assert crawl.result.stderr.splitlines()[-1].startswith("error: the network looked down")
    assert not any(PROGRESS_LINE.match(line) for line in crawl.result.stderr.splitlines())
    assert "Traceback" not in crawl.result.stderr + crawl.log_file.read_text(encoding="utf-8")


def test_verbose_shows_scrapy_s_log_on_the_terminal(tmp_path: Path) -> None:
    crawl = crawl_from_elsewhere(PREFIX, tmp_path, "--verbose", "--only", "kbic")
    assert crawl.result.returncode == 0, crawl.result.stderr[-3000:]
    assert "[scrapy.core.engine] INFO: Spider opened" in crawl.result.stderr
    assert "Traceback" not in crawl.result.stderr
