"""The `clusterwatch` command line: a click group whose subcommands live in monitor/commands/.

Commands are loaded lazily from `COMMANDS`, so `clusterwatch crawl` does not import Flask and
`clusterwatch serve` does not import the crawler's dependencies. Each command's docstring is its
help text. Global options build the one Settings object, passed down through the click context.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from clusterwatch.monitor.settings import Settings, SettingsError, load_settings

# command name -> "module:attribute" of a click.Command
COMMANDS: dict[str, str] = {
    "crawl": "clusterwatch.monitor.commands.crawl:crawl",
    "demo": "clusterwatch.monitor.commands.demo:demo",
    "db": "clusterwatch.monitor.commands.database:db",
    "evaluate": "clusterwatch.monitor.commands.evaluate:evaluate",
    "status": "clusterwatch.monitor.commands.status:status",
    "flags": "clusterwatch.monitor.commands.flags:flags",
    "review": "clusterwatch.monitor.commands.review:review",
    "override": "clusterwatch.monitor.commands.override:override",
    "history": "clusterwatch.monitor.commands.history:history",
    "report": "clusterwatch.monitor.commands.report:report",
    "schedule": "clusterwatch.monitor.commands.schedule:schedule",
    "digest": "clusterwatch.monitor.commands.digest:digest",
    "serve": "clusterwatch.monitor.commands.serve:serve",
    "user": "clusterwatch.monitor.commands.user:user",
    "cluster": "clusterwatch.monitor.commands.cluster:cluster",
    "seeds": "clusterwatch.monitor.commands.seeds:seeds",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file (default: config/clusterwatch.toml, or $CLUSTERWATCH_CONFIG).",
)
@click.pass_context
def cli(ctx: click.Context, config: Path | None) -> None:
    """clusterwatch: nightly screening of Japan's industrial-cluster organisations."""
    try:
        ctx.obj = load_settings(config)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


def settings_from(ctx: click.Context, **overrides: Any) -> Settings:
    """The global settings with this command's explicit options laid over them."""
    base: Settings = ctx.find_root().obj
    changes = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**{**base.__dict__, **changes}) if changes else base


def main() -> None:
    cli(prog_name="clusterwatch")


if __name__ == "__main__":
    main()
