"""`clusterwatch serve`: the curators' web UI on waitress, a production WSGI server.

Waitress is pure Python, has no C extension and does not fork: it runs the same on any OS and
Python >= 3.11, and its thread pool suits a handful of curators over SQLite or PostgreSQL
(gunicorn forks worker processes and needs a POSIX system; Flask's own server says it is not
for production). Bound to 127.0.0.1 by default; put an https reverse proxy in front to reach it
from other machines (README: "Behind a reverse proxy").
"""

from __future__ import annotations

import click
from waitress import serve as waitress_serve

from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.store_access import open_store
from clusterwatch.monitor.web.app import create_app
from clusterwatch.monitor.web.secret import SecretKeyError

DEFAULT_THREADS = 8
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# The X-Forwarded-* headers a trusted reverse proxy sets, and waitress then believes.
PROXY_HEADERS = "x-forwarded-for x-forwarded-host x-forwarded-proto x-forwarded-port"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--threads",
    "--workers",
    "threads",
    default=DEFAULT_THREADS,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Requests served at once (waitress worker threads).",
)
@click.option(
    "--trusted-proxy",
    metavar="ADDRESS",
    help="Address of the reverse proxy whose X-Forwarded-* headers to believe (e.g. 127.0.0.1).",
)
@click.option("--db", "db", help="Database URL (default: CLUSTERWATCH_DB or SQLite).")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    threads: int,
    trusted_proxy: str | None,
    db: str | None,
) -> None:
    """Serve the curators' web UI with waitress (a production WSGI server, pure Python).

    Binds to 127.0.0.1 unless --host says otherwise; put an https reverse proxy in front to
    reach it from other machines, with --trusted-proxy naming the proxy's address and
    CLUSTERWATCH_BASE_URL=https://... so session cookies are marked Secure. Sessions are signed
    with CLUSTERWATCH_SECRET_KEY or, when unset, a key generated once into web-secret.key (mode
    0600) next to the SQLite database file. Curators log in with accounts made by
    `clusterwatch user add NAME`.
    """
    settings = settings_from(ctx, db=db)
    try:
        app = create_app(settings, open_store(settings.db))
    except SecretKeyError as exc:
        raise click.ClickException(str(exc)) from exc
    if host not in LOCAL_HOSTS:
        click.echo(f"warning: listening on {host}, reachable from other machines", err=True)
    click.echo(f"clusterwatch web UI on http://{host}:{port}/ ({threads} threads; Ctrl+C to stop)")
    proxy = {"trusted_proxy": trusted_proxy, "trusted_proxy_headers": PROXY_HEADERS}
    waitress_serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="clusterwatch",
        **(proxy if trusted_proxy else {}),
    )
