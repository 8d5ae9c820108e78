"""The settings as rows, from their declarations: the README's table and `clusterwatch config show`.

Generated rather than written by hand, so the documentation cannot drift from the code (a test
compares the README with `readme_table()`).
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticUndefined

from clusterwatch.monitor.settings import ENV_ONLY, Settings, env_name

DEFAULT_SHOWN = {
    "seeds": "(the packaged seeds.yaml)",
    "log_file": "$XDG_DATA_HOME/clusterwatch/logs/crawl.log",
}  # a path that depends on the install


def shown(value: Any) -> str:
    """A value as a person reads it in a table."""
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        return ", ".join(value) if value else "(none)"
    return str(value) if value != "" else "(none)"


def default_of(name: str) -> str:
    if name in DEFAULT_SHOWN:
        return DEFAULT_SHOWN[name]
    default = Settings.model_fields[name].default
    return shown(None if default is PydanticUndefined else default)


def limits_of(name: str) -> str:
    """The allowed range, for example `>= 1, <= 1000`, or '' when any value of the type goes."""
    words = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
    parts = [
        f"{words[key]} {getattr(item, key)}"
        for item in Settings.model_fields[name].metadata
        for key in words
        if getattr(item, key, None) is not None
    ]
    return ", ".join(parts)


def readme_table() -> str:
    lines = [
        "| environment variable | config key | default | allowed | meaning |",
        "|---|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        key = "(environment only)" if name in ENV_ONLY else f"`{name}`"
        lines.append(
            f"| `{env_name(name)}` | {key} | `{default_of(name)}` | {limits_of(name)} "
            f"| {field.description} |"
        )
    return "\n".join(lines)


def current_rows(settings: Settings, sources: dict[str, str]) -> list[list[str]]:
    """Each setting's value now and where it came from; secrets only say whether they are set."""
    rows = []
    for name in Settings.model_fields:
        value = getattr(settings, name)
        text = ("(set)" if value else "(unset)") if name in ENV_ONLY else shown(value)
        rows.append([name, text, sources.get(name, "default")])
    return rows
