"""`python -m clusterwatch.simweb serve`: run the simulated web's proxy until Ctrl-C."""

from __future__ import annotations

import argparse
import threading
from datetime import date

from clusterwatch.simweb.web import SimulatedWeb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clusterwatch.simweb", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the simulated web as a forward proxy")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8899)
    serve.add_argument("--phase", type=int, default=1, help="night to simulate (1-4)")
    serve.add_argument("--latency", type=float, default=0.0, help="seconds added per response")
    serve.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    serve.add_argument("--seeds", default=None, help="also write a seeds.yaml here")
    args = parser.parse_args(argv)
    web = SimulatedWeb(
        phase=args.phase, latency=args.latency, today=args.today, host=args.host, port=args.port
    )
    with web:
        if args.seeds:
            web.write_seeds(args.seeds)
        try:  # a Ctrl-C right after the first line (a test reads it, then stops us) is a stop too
            print(f"simulated web (phase {web.phase}) at {web.proxy_url}", flush=True)
            print(f"export http_proxy={web.proxy_url} https_proxy={web.proxy_url}", flush=True)
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
