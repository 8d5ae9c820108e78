"""`clusterwatch serve`: the curators' web UI.

Runs Flask's threaded werkzeug server, bound to 127.0.0.1 by default: fine for a handful of
curators on one machine or behind a reverse proxy that terminates https (then set
CLUSTERWATCH_BASE_URL=https://... so session cookies are marked Secure).
"""

from __future__ import annotations

import click

from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.store_access import open_store
from clusterwatch.monitor.web.app import create_app
from clusterwatch.monitor.web.secret import SecretKeyError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--db", "db", help="Database URL (default: CLUSTERWATCH_DB or SQLite).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, db: str | None) -> None:
    """Serve the curators' web UI (Flask's threaded werkzeug server; no waitress/gunicorn needed).

    Binds to 127.0.0.1 unless --host says otherwise; put an https reverse proxy in front to reach
    it from other machines. Sessions are signed with CLUSTERWATCH_SECRET_KEY or, when unset, a
    key generated once into web-secret.key (mode 0600) next to the SQLite database file.
    Curators log in with accounts made by `clusterwatch user add NAME`.
    """
    settings = settings_from(ctx, db=db)
    try:
        app = create_app(settings, open_store(settings.db))
    except SecretKeyError as exc:
        raise click.ClickException(str(exc)) from exc
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}, reachable from other machines", err=True)
    click.echo(f"clusterwatch web UI on http://{host}:{port}/ (Ctrl+C to stop)")
    app.run(host=host, port=port, threaded=True, debug=False, use_reloader=False)
