"""`python -P -m clusterwatch.crawler --options JSON`: run one crawl.

Started by monitor.crawl_runner.
"""

from __future__ import annotations

import argparse
import sys

from clusterwatch.crawler.options import CrawlOptions
from clusterwatch.crawler.process import run
from clusterwatch.crawler.worker_process import die_with_parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -P -m clusterwatch.crawler", description=__doc__)
    parser.add_argument("--options", required=True, help="CrawlOptions as JSON")
    parser.add_argument(
        "--parent-pid", type=int, help="die (with our process group) when this process dies"
    )
    args = parser.parse_args(argv)
    if args.parent_pid is not None:
        die_with_parent(args.parent_pid, kill_group=True)
    return run(CrawlOptions.from_json(args.options))


if __name__ == "__main__":
    sys.exit(main())
