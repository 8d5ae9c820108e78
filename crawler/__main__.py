"""`python -P -m clusterwatch.crawler --options JSON`: run one crawl.

Started by monitor.crawl_runner.
"""

from __future__ import annotations

import argparse
import sys

from clusterwatch.crawler.options import CrawlOptions
from clusterwatch.crawler.process import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -P -m clusterwatch.crawler", description=__doc__)
    parser.add_argument("--options", required=True, help="CrawlOptions as JSON")
    args = parser.parse_args(argv)
    return run(CrawlOptions.from_json(args.options))


if __name__ == "__main__":
    sys.exit(main())
