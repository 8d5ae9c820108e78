"""Runtime settings: one object, built once from the config file and CLUSTERWATCH_* variables.

Every setting is declared as data in `SETTINGS` with its type, default and description (a test
checks each is documented in the README). Precedence, lowest first: the default, the config file
(`config/clusterwatch.toml`, or the path in CLUSTERWATCH_CONFIG), the environment variable
`CLUSTERWATCH_<NAME>`, an explicit command-line option. Secrets (`env_only`) are read from the
environment only, never from a file that may be committed.

The object is passed down to whoever needs it; nothing else reads the environment, except
db.engine for the database URL's final fallback.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

CONFIG_ENV_VAR = "CLUSTERWATCH_CONFIG"
DEFAULT_CONFIG_PATH = Path("config/clusterwatch.toml")
ENV_PREFIX = "CLUSTERWATCH_"


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names its source and the fix."""


@dataclass(frozen=True)
class Settings:
    # where things are
    db: str | None = None
    seeds: str = "config/seeds.yaml"
    # how to crawl (passed to the crawl process)
    contact_url: str = "https://github.com/clusterwatch/clusterwatch#crawler"
    user_agent: str = "clusterwatch/0.1 (+{contact_url})"
    crawl_delay: float = 1.0
    page_budget: int = 40
    crawl_depth: int = 3
    concurrent_sites: int = 16
    download_timeout: float = 30.0
    max_response_bytes: int = 5_000_000
    retry_times: int = 2
    degraded_failure_ratio: float = 0.9
    # how to judge
    active_months: int = 12
    unreachable_after: int = 3
    parked_after: int = 2
    # when to run
    crawl_schedule: str = "0 2 * * *"
    crawl_timezone: str = "Asia/Tokyo"
    crawl_time_limit: int = 4 * 3600
    digest_schedule: str = "0 8 * * mon"
    digest_timezone: str = "Europe/Brussels"
    misfire_grace_time: int = 3600
    # whom to tell
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    digest_from: str = "clusterwatch@localhost"
    digest_to: tuple[str, ...] = ()
    base_url: str = "http://127.0.0.1:8000"
    trusted_proxies: int = 0
    secret_key: str | None = None

    @property
    def resolved_user_agent(self) -> str:
        return self.user_agent.replace("{contact_url}", self.contact_url)


DESCRIPTIONS: dict[str, str] = {
    "db": "Database URL (SQLite or PostgreSQL); default: a SQLite file under $XDG_DATA_HOME",
    "seeds": "Path of the seeds file listing the clusters to crawl",
    "contact_url": "URL named in the crawler's User-Agent so site owners can reach us",
    "user_agent": "User-Agent header; {contact_url} is replaced by contact_url",
    "crawl_delay": "Seconds between two requests to the same site",
    "page_budget": "Most pages fetched per site and run",
    "crawl_depth": "Most link hops from a seed URL",
    "concurrent_sites": "Sites crawled in parallel (one request at a time per site)",
    "download_timeout": "Seconds before a request counts as timed out",
    "max_response_bytes": "Responses larger than this are cut off and recorded as oversized",
    "retry_times": "Retries for transient errors (timeouts, 5xx, dropped connections)",
    "degraded_failure_ratio": "Share of sites with network errors that marks a run degraded",
    "active_months": "A cluster is active when its newest credible update is this recent",
    "unreachable_after": "Consecutive non-degraded failed runs before a cluster is unreachable",
    "parked_after": "Consecutive runs showing a parking page before a cluster is parked",
    "crawl_schedule": "Cron expression of the nightly crawl",
    "crawl_timezone": "Time zone of crawl_schedule",
    "crawl_time_limit": "Seconds after which a scheduled crawl is stopped and recorded incomplete",
    "digest_schedule": "Cron expression of the weekly digest",
    "digest_timezone": "Time zone of digest_schedule",
    "misfire_grace_time": "Seconds a missed scheduled run may still start late",
    "smtp_host": "SMTP server for the digest; unset means write .eml files instead of sending",
    "smtp_port": "SMTP port",
    "smtp_user": "SMTP user name",
    "smtp_password": "SMTP password (environment only)",
    "smtp_starttls": "Use STARTTLS on the SMTP connection",
    "digest_from": "From address of the digest",
    "digest_to": "Recipients of the digest, comma-separated",
    "base_url": "Public base URL of the web UI, for links in the digest",
    "trusted_proxies": "Reverse proxies in front of the web UI whose X-Forwarded-For is trusted",
    "secret_key": "Key signing web sessions and CSRF tokens (environment only)",
}

ENV_ONLY = frozenset({"smtp_password", "secret_key"})
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def env_name(setting: str) -> str:
    return ENV_PREFIX + setting.upper()


def load_settings(
    config_path: Path | None = None,
    env: Mapping[str, str] = os.environ,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build the settings by the precedence in the module docstring."""
    values: dict[str, Any] = {}
    path = config_path or Path(env.get(CONFIG_ENV_VAR) or DEFAULT_CONFIG_PATH)
    if path.exists():
        values.update(_read_config_file(path))
    elif config_path is not None or env.get(CONFIG_ENV_VAR):
        raise SettingsError(f"{path}: config file not found; create it or unset {CONFIG_ENV_VAR}")
    for field in fields(Settings):
        raw = env.get(env_name(field.name))
        if raw is not None and raw != "":
            values[field.name] = _coerce(field.name, raw, f"environment {env_name(field.name)}")
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return Settings(**values)


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: {exc}; fix the TOML syntax") from exc
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise SettingsError(
                f"{path}: unknown setting {key!r}; known: {', '.join(sorted(known))}"
            )
        if key in ENV_ONLY:
            raise SettingsError(f"{path}: {key!r} is a secret; set {env_name(key)} instead")
        values[key] = _coerce(key, value, str(path))
    return values


def _coerce(name: str, raw: Any, source: str) -> Any:
    """Convert a file or environment value to the type the field declares."""
    default = getattr(Settings, name)
    kind = Settings.__dataclass_fields__[name].type
    try:
        if name == "digest_to":
            items = raw.split(",") if isinstance(raw, str) else list(raw)
            return tuple(item.strip() for item in items if item.strip())
        if isinstance(default, bool):
            return _to_bool(raw)
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        return str(raw)
    except ValueError as exc:
        raise SettingsError(f"{source}: {name}={raw!r} is not a valid {kind}") from exc


def _to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(raw)
