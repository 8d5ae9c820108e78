"""The `clusterwatch` command line: a click group whose subcommands live in monitor/commands/.

Commands are loaded lazily from `COMMANDS`, so `clusterwatch crawl` does not import Flask and
`clusterwatch serve` does not import the crawler's dependencies. Each command's docstring is its
help text, and every command's help ends with the one exit-status table (monitor/exit_codes.py).
Global options build the one Settings object, passed down through the click context.

Errors the user can act on (settings, seeds, database URL, server down) are turned into one
"Error: ..." line and the documented exit status here, in one place, rather than in each command.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import DBAPIError

from clusterwatch import __version__
from clusterwatch.crawler.seeds import SeedsError
from clusterwatch.monitor.exit_codes import BadInput, Failed, help_epilog
from clusterwatch.monitor.settings import (
    CONFIG_ENV_VAR,
    Settings,
    SettingsError,
    load_with_sources,
    with_overrides,
)

# command name -> "module:attribute" of a click.Command
COMMANDS: dict[str, str] = {
    "config": "clusterwatch.monitor.commands.config:config",
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
    "candidates": "clusterwatch.monitor.commands.candidates:candidates",
    "hub": "clusterwatch.monitor.commands.hub:hub",
}
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


def _with_epilog(command: click.Command) -> click.Command:
    """Every command and subcommand ends its help with the exit-status table."""
    command.epilog = command.epilog or help_epilog()
    command.context_settings = {**CONTEXT_SETTINGS, **command.context_settings}
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _with_epilog(sub)
    return command


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that command is used, and turns
    the errors a user can fix into their exit status."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return _with_epilog(command)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (SettingsError, SeedsError) as exc:
            raise BadInput(str(exc)) from None
        except DBAPIError as exc:
            from clusterwatch.monitor.store_access import database_error

            raise database_error(None, exc) from None
        except OSError as exc:  # a file or folder the command had to read or write
            where = f"{exc.filename}: " if exc.filename else ""
            raise Failed(f"{where}{exc.strerror or exc}") from None


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS, epilog=help_epilog())
@click.version_option(__version__, "--version", prog_name="clusterwatch")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Config file (default: $XDG_CONFIG_HOME/clusterwatch/clusterwatch.toml, or "
    f"${CONFIG_ENV_VAR}).",
)
@click.pass_context
def cli(ctx: click.Context, config: Path | None) -> None:
    """clusterwatch: nightly screening of Japan's industrial-cluster organisations.

    Shell completion: eval "$(_CLUSTERWATCH_COMPLETE=bash_source clusterwatch)" in ~/.bashrc
    (zsh_source, fish_source for other shells).
    """
    try:
        settings, sources = load_with_sources(config)
    except SettingsError as exc:
        raise BadInput(str(exc)) from None
    ctx.obj = settings
    ctx.meta["clusterwatch.sources"] = sources


def settings_from(ctx: click.Context, **overrides: Any) -> Settings:
    """The global settings with this command's explicit options laid over them."""
    base: Settings = ctx.find_root().obj
    try:
        return with_overrides(base, overrides)
    except SettingsError as exc:
        raise BadInput(str(exc)) from None


def main() -> None:
    cli(prog_name="clusterwatch")


if __name__ == "__main__":
    main()
