"""Where the crawl process's log goes: a rotated file always, the terminal only when asked.

Scrapy logs a lot (its version, middleware lists, stats, and every failed download, some with a
traceback). A person running `clusterwatch crawl` wants the progress line and a summary, so:

- every record at INFO and above goes to `options.log_file`, rotated at ROTATE_BYTES with
  ROTATE_KEEP old files;
- the terminal (standard error) gets them only with console="verbose"; otherwise only errors
  that are not an expected network failure;
- an expected network failure (DNS, refused, timeout, TLS, a dropped connection, a proxy that
  answers for a dead site) is one line in the file: its traceback is dropped, since the site and
  the reason are the whole story, and the failure is recorded per site in the database anyway.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from clusterwatch.crawler.options import CrawlOptions

LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
ROTATE_BYTES = 10_000_000
ROTATE_KEEP = 5
# Exceptions a crawl of the open web meets every night: logged as one line, never on the console.
EXPECTED_FAILURES: tuple[type[BaseException], ...] = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    DownloadCancelledError,
    DownloadFailedError,  # TLS handshakes and other transport failures
    ResponseDataLossError,
    twisted_errors.DNSLookupError,
    twisted_errors.ConnectError,  # refused, timed out, no route
    twisted_errors.TimeoutError,
    twisted_errors.ConnectionLost,
    twisted_errors.ConnectionDone,
    ResponseNeverReceived,
    ResponseFailed,
    IgnoreRequest,
    OSError,
)
# Messages Scrapy writes about those failures without attaching the exception.
EXPECTED_MESSAGES = ("Gave up retrying", "Error downloading", "Retrying <")


def _exception_of(record: logging.LogRecord) -> BaseException | None:
    if record.exc_info and record.exc_info[1] is not None:
        error: object = record.exc_info[1]
    else:
        error = next((arg for arg in _args(record) if isinstance(arg, Failure)), None)
    if isinstance(error, Failure):
        error = error.value
    return error if isinstance(error, BaseException) else None


def _args(record: logging.LogRecord) -> tuple[object, ...]:
    if isinstance(record.args, tuple):
        return record.args
    return tuple(record.args.values()) if isinstance(record.args, dict) else ()


def is_expected_failure(record: logging.LogRecord) -> bool:
    """A network failure a crawl expects: its record says which site and why in one line."""
    error = _exception_of(record)
    if error is not None:
        return isinstance(error, EXPECTED_FAILURES) or type(error).__name__ == "TunnelError"
    return str(record.msg).startswith(EXPECTED_MESSAGES)


class OneLineFailures(logging.Filter):
    """Keeps expected failures in the file as one line (the reason appended, traceback dropped)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and is_expected_failure(record):
            error = _exception_of(record)
            record.msg = f"{record.getMessage()}: {type(error).__name__}: {error}"
            record.args = None
            record.exc_info = record.exc_text = None
        return True


class UnexpectedOnly(logging.Filter):
    """Lets through to the terminal only what a person must see: not the expected failures."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not is_expected_failure(record)


def configure(options: CrawlOptions) -> None:
    """Install the handlers on the root logger (Scrapy is told not to install its own)."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    formatter = logging.Formatter(LOG_FORMAT)
    if options.log_file:
        path = Path(options.log_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        to_file = RotatingFileHandler(
            path, maxBytes=ROTATE_BYTES, backupCount=ROTATE_KEEP, encoding="utf-8"
        )
        to_file.setFormatter(formatter)
        to_file.addFilter(OneLineFailures())
        root.addHandler(to_file)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(formatter)
    if options.console == "verbose":
        console.setLevel(logging.INFO)
        console.addFilter(OneLineFailures())
    else:
        console.setLevel(logging.ERROR)
        console.addFilter(UnexpectedOnly())
    root.addHandler(console)
