"""`clusterwatch config show|path`: the settings in effect and where each value came from."""

from __future__ import annotations

import click

from clusterwatch.monitor.settings import CONFIG_ENV_VAR, Settings, default_config_path
from clusterwatch.monitor.settings_table import current_rows
from clusterwatch.monitor.text_table import render_table


@click.group()
def config() -> None:
    """Show the settings (config file, CLUSTERWATCH_* variables, defaults)."""


@config.command("show")
@click.pass_context
def show(ctx: click.Context) -> None:
    """Every setting's value and its source; secrets only say whether they are set."""
    root = ctx.find_root()
    settings: Settings = root.obj
    sources: dict[str, str] = root.meta.get("clusterwatch.sources", {})
    click.echo(render_table(("setting", "value", "from"), current_rows(settings, sources)))


@config.command("path")
def path() -> None:
    """The config file read when --config and $CLUSTERWATCH_CONFIG are not given."""
    found = default_config_path()
    state = "exists" if found.is_file() else "absent: defaults and environment only"
    click.echo(f"{found} ({state}); {CONFIG_ENV_VAR} or --config name another file")
