"""clusterwatch: the nightly screening of Japan's industrial-cluster organisations.

One import package mapped from the repository's top-level folders (`crawler/`, `monitor/`, `db/`,
`simweb/`, `config/` are linked under `src/clusterwatch/`), so nothing installed has a generic
top-level name and no file in the working folder can shadow it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("clusterwatch")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"
