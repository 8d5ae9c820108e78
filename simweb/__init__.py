"""The simulated web: Japanese cluster websites behind a local forward proxy, in phases.

Tests and `clusterwatch demo` point the crawler at `SimulatedWeb(...).proxy_url` through the
standard http_proxy / https_proxy variables; see `simweb.proxy` for how failures are signalled and
`simweb.scenarios` for the sites and what a correct analysis concludes about each.
"""

from clusterwatch.simweb.model import Cluster, Expectation, Outcome
from clusterwatch.simweb.requestlog import RequestRecord
from clusterwatch.simweb.web import SimulatedWeb

__all__ = ["Cluster", "Expectation", "Outcome", "RequestRecord", "SimulatedWeb"]
