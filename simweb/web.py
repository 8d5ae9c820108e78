"""`SimulatedWeb`: the public face of the simulated web, a proxy serving scenario sites by phase.

Owns the life cycle (start in a background thread on a free port, stop), the current phase, and
the views tests read: proxy URL and environment, the request log, the clusters and their expected
verdicts, and a seeds file for the crawler.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType

from clusterwatch.simweb.client import Fetched, fetch
from clusterwatch.simweb.discovery import KNOWN, UNLISTED_HOSTS
from clusterwatch.simweb.generated import generated_scenarios
from clusterwatch.simweb.model import Cluster, HostBuilder, Night, Scenario, SiteState
from clusterwatch.simweb.proxy import ProxyServer
from clusterwatch.simweb.requestlog import RequestLog, RequestRecord
from clusterwatch.simweb.responder import Responder
from clusterwatch.simweb.scenarios import PHASES, SCENARIOS
from clusterwatch.simweb.seeds import write_seeds
from clusterwatch.simweb.tls import certificate, server_context

# An upstream that never answers is reported by the proxy after this many seconds (504).
DEFAULT_UPSTREAM_TIMEOUT = 1.0
# A "slow" page is held this long: longer than the crawl timeout a test or the demo sets.
DEFAULT_SLOW_SECONDS = 20.0


class SimulatedWeb:
    """A forward proxy on 127.0.0.1 serving the simulated clusters; use as a context manager."""

    def __init__(
        self,
        phase: int = 1,
        latency: float = 0.0,
        today: date | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        upstream_timeout: float = DEFAULT_UPSTREAM_TIMEOUT,
        slow_seconds: float = DEFAULT_SLOW_SECONDS,
        scenarios: Sequence[Scenario] | None = None,
        unlisted: Mapping[str, HostBuilder] | None = None,
    ) -> None:
        self.today = today or date.today()
        self.latency = latency
        self._scenarios = tuple(SCENARIOS if scenarios is None else scenarios)
        # hosts served but in no seeds file: organisations discovery should find (or not)
        self._unlisted = dict(unlisted or {})
        self._address = (host, port)
        self._log = RequestLog()
        self._responder = Responder(upstream_timeout, slow_seconds)
        self._server: ProxyServer | None = None
        self._thread: threading.Thread | None = None
        self._phase = phase
        self.certificate_pem = b""  # the proxy's self-signed certificate, once started
        self.set_phase(phase)

    @classmethod
    def generated(
        cls,
        sites: int = 500,
        pages_per_site: int = 20,
        latency: float = 0.05,
        today: date | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        validators: bool = True,
    ) -> SimulatedWeb:
        """A synthetic web of plain, unchanging sites for the benchmark (plain http only);
        without `validators` its pages send no ETag or Last-Modified."""
        scenarios = generated_scenarios(sites, pages_per_site, validators)
        return cls(latency=latency, today=today, host=host, port=port, scenarios=scenarios)

    @classmethod
    def with_discovery(cls, phase: int = 1, *, slow_seconds: float) -> SimulatedWeb:
        """The scenario web plus the discovery web (for the demo): both stories in one crawl."""
        return cls(
            phase=phase,
            slow_seconds=slow_seconds,
            scenarios=(*SCENARIOS, *KNOWN),
            unlisted=UNLISTED_HOSTS,
        )

    @classmethod
    def discovery(cls, today: date | None = None, *, port: int = 0) -> SimulatedWeb:
        """Known clusters linking to planted clusters and distractors (simweb/discovery.py)."""
        return cls(today=today, port=port, scenarios=KNOWN, unlisted=UNLISTED_HOSTS)

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> SimulatedWeb:
        if self._server is not None:
            return self
        hosts = [h for s in self._scenarios for h in s.hosts] + list(self._unlisted)
        cert_pem, key_pem = certificate(hosts)
        self.certificate_pem = cert_pem
        context = server_context(cert_pem, key_pem)
        self._server = ProxyServer(self._address, self._responder, self._log, context, self.latency)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="simweb-proxy", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.stop()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> SimulatedWeb:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- views ------------------------------------------------------------------------------

    @property
    def proxy_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the simulated web is not running: use start() or `with`")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def proxy_env(self) -> dict[str, str]:
        """Environment variables that send Scrapy, urllib, curl ... through the proxy."""
        url = self.proxy_url
        return {
            "http_proxy": url,
            "https_proxy": url,
            "HTTP_PROXY": url,
            "HTTPS_PROXY": url,
            "no_proxy": "",
        }

    @property
    def phase(self) -> int:
        return self._phase

    def set_phase(self, phase: int) -> None:
        """Switch to another night; the phase's content and failures apply to the next request."""
        if phase < 1:
            raise ValueError(f"phases start at 1, got {phase}")
        night = Night(min(phase, PHASES), self.today)
        states: dict[str, SiteState] = {}
        for scenario in self._scenarios:
            for host, build in scenario.hosts.items():
                states[host] = build(night)
        for host, build in self._unlisted.items():
            states[host] = build(night)
        self._responder.load(states)
        self._phase = phase

    @property
    def requests(self) -> list[RequestRecord]:
        return self._log.snapshot()

    def clear_requests(self) -> None:
        self._log.clear()

    @property
    def clusters(self) -> list[Cluster]:
        """The simulated clusters, each with its expected verdict for phases 1..PHASES."""
        return [
            Cluster(
                id=s.id,
                name=s.name,
                sector=s.sector,
                urls=s.urls,
                hosts=tuple(s.hosts),
                expect={p: s.expect(Night(p, self.today)) for p in range(1, PHASES + 1)},
                scenario=s.scenario,
                name_ja=s.name_ja,
                prefecture=s.prefecture,
                source=s.source,
            )
            for s in self._scenarios
        ]

    def cluster(self, cluster_id: str) -> Cluster:
        for cluster in self.clusters:
            if cluster.id == cluster_id:
                return cluster
        raise KeyError(cluster_id)

    def fetch(
        self, url: str, headers: dict[str, str] | None = None, timeout: float = 10.0
    ) -> Fetched:
        """One request through the proxy (https verified against the proxy's certificate)."""
        return fetch(
            self.proxy_url, url, headers=headers, timeout=timeout, cadata=self.certificate_pem
        )

    def write_seeds(self, path: str | Path) -> Path:
        return write_seeds(self.clusters, path)
