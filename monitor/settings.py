"""Runtime settings: one validated object, from the config file and CLUSTERWATCH_* variables.

Every setting is declared once, as a pydantic field with its type, default, allowed range and
description; the README's settings table and `clusterwatch config show` are generated from these
declarations (a test compares the README with them). Precedence, lowest first: the default, the
config file (`$XDG_CONFIG_HOME/clusterwatch/clusterwatch.toml`, or the path in
CLUSTERWATCH_CONFIG), the environment variable `CLUSTERWATCH_<NAME>`, an explicit command-line
option. Secrets (`ENV_ONLY`) are read from the environment only, never from a file that may be
committed. A value out of range is refused with its source named, before anything runs.

The model is a plain pydantic model rather than a pydantic-settings BaseSettings: a BaseSettings
reads the environment whenever it is constructed, and code and tests build Settings(...) directly.
The object is passed down to whoever needs it; nothing else reads the environment, except
db.engine for the database URL's final fallback.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from clusterwatch.crawler.addresses import AddressPolicy
from clusterwatch.db.engine import default_sqlite_path
from clusterwatch.vocabulary import CrawlDefaults

CONFIG_ENV_VAR = "CLUSTERWATCH_CONFIG"
CONFIG_FILE_NAME = "clusterwatch.toml"
ENV_PREFIX = "CLUSTERWATCH_"
PACKAGED_SEEDS = "config/seeds.yaml"  # inside the clusterwatch package (package data)
ENV_ONLY = frozenset({"smtp_password", "secret_key"})


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names its source and the fix."""


def packaged_seeds_path() -> str:
    """The seeds file shipped inside the package: the default when no seeds path is given."""
    return str(resources.files("clusterwatch").joinpath(PACKAGED_SEEDS))


def default_log_path() -> str:
    """The crawl log: `logs/crawl.log` in the data folder, beside the default SQLite file."""
    return str(default_sqlite_path().parent / "logs" / "crawl.log")


def default_config_path(env: Mapping[str, str] = os.environ) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "clusterwatch" / CONFIG_FILE_NAME


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name like Asia/Tokyo") from exc
    return value


def _web_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return value


def _address_policy(value: str) -> str:
    AddressPolicy.parse(value)  # refused here, before any crawl starts (AddressSettingError)
    return value


def _comma_list(value: Any) -> Any:
    items = value.split(",") if isinstance(value, str) else value
    return tuple(str(item).strip() for item in items if str(item).strip())


TimeZone = Annotated[str, AfterValidator(_time_zone)]
WebUrl = Annotated[str, AfterValidator(_web_url)]
Cron = Annotated[str, Field(min_length=9)]  # five fields; the scheduler parses it fully
Seconds = Annotated[float, Field(ge=0, le=7 * 24 * 3600)]
Networks = Annotated[str, AfterValidator(_address_policy)]


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # where things are
    db: str | None = Field(
        None,
        description="Database URL (SQLite or PostgreSQL); default: a SQLite file under "
        "$XDG_DATA_HOME",
    )
    seeds: str = Field(
        default_factory=packaged_seeds_path,
        description="Path of the seeds file listing the clusters to crawl; default: the seeds "
        "shipped with the package",
    )
    log_file: str = Field(
        default_factory=default_log_path,
        description="The crawl's detailed log (Scrapy's), rotated at 10 MB with 5 old files kept",
    )
    crawl_output: Literal["progress", "quiet", "verbose"] = Field(
        "progress",
        description="What a crawl prints: a progress line and a summary; only the summary and "
        "errors; or the whole log as well (--quiet, --verbose)",
    )
    # how to crawl (passed to the crawl process)
    contact_url: WebUrl = Field(
        "https://github.com/clusterwatch/clusterwatch#crawler",
        description="URL named in the crawler's User-Agent so site owners can reach us",
    )
    user_agent: str = Field(
        "clusterwatch/0.1 (+{contact_url})",
        min_length=1,
        description="User-Agent header; {contact_url} is replaced by contact_url",
    )
    crawl_delay: Seconds = Field(
        CrawlDefaults.CRAWL_DELAY, description="Seconds between two requests to the same site"
    )
    page_budget: int = Field(
        CrawlDefaults.PAGE_BUDGET,
        ge=1,
        le=100_000,
        description="Most pages fetched per site and run",
    )
    crawl_depth: int = Field(
        CrawlDefaults.CRAWL_DEPTH, ge=0, le=100, description="Most link hops from a seed URL"
    )
    concurrent_sites: int = Field(
        CrawlDefaults.CONCURRENT_SITES,
        ge=1,
        le=1000,
        description="Sites crawled in parallel (one request at a time per site)",
    )
    download_timeout: float = Field(
        CrawlDefaults.DOWNLOAD_TIMEOUT,
        gt=0,
        le=3600,
        description="Seconds before a request counts as timed out",
    )
    max_response_bytes: int = Field(
        CrawlDefaults.MAX_RESPONSE_BYTES,
        ge=10_000,
        le=1_000_000_000,
        description="Responses larger than this are cut off and recorded as oversized",
    )
    retry_times: int = Field(
        CrawlDefaults.RETRY_TIMES,
        ge=0,
        le=20,
        description="Retries for transient errors (timeouts, 5xx, dropped connections)",
    )
    degraded_failure_ratio: float = Field(
        CrawlDefaults.DEGRADED_FAILURE_RATIO,
        gt=0,
        le=1,
        description="Share of sites with network errors that marks a run degraded",
    )
    site_time_budget: float = Field(
        CrawlDefaults.SITE_TIME_BUDGET,
        gt=0,
        le=7 * 24 * 3600,
        description="Seconds one site may take; then it is recorded as slow with what was fetched",
    )
    allowed_addresses: Networks = Field(
        CrawlDefaults.ALLOWED_ADDRESSES,
        description="Non-public networks the crawl may fetch from anyway, comma-separated "
        "(10.1.0.0/16)",
    )
    discovery_budget: int | None = Field(
        None,
        ge=0,
        le=10_000,
        description="Candidate home pages judged per night by discovery; unset: the data file's "
        "budget_per_night (30); 0 turns discovery off",
    )
    # how to judge
    active_months: int = Field(
        12,
        ge=1,
        le=600,
        description="A cluster is active when its newest credible update is this recent",
    )
    unreachable_after: int = Field(
        3,
        ge=1,
        le=1000,
        description="Consecutive non-degraded failed runs before a cluster is unreachable",
    )
    parked_after: int = Field(
        2,
        ge=1,
        le=1000,
        description="Consecutive runs showing a parking page before a cluster is parked",
    )
    # when to run
    crawl_schedule: Cron = Field("0 2 * * *", description="Cron expression of the nightly crawl")
    crawl_timezone: TimeZone = Field("Asia/Tokyo", description="Time zone of crawl_schedule")
    crawl_time_limit: int = Field(
        CrawlDefaults.CRAWL_TIME_LIMIT,
        ge=1,
        le=7 * 24 * 3600,
        description="Seconds after which any crawl is stopped and recorded incomplete",
    )
    digest_schedule: Cron = Field("0 8 * * mon", description="Cron expression of the weekly digest")
    digest_timezone: TimeZone = Field("Europe/Brussels", description="Time zone of digest_schedule")
    misfire_grace_time: int = Field(
        3600,
        ge=1,
        le=7 * 24 * 3600,
        description="Seconds a missed scheduled run may still start late",
    )
    # whom to tell
    smtp_host: str | None = Field(
        None,
        description="SMTP server for the digest; unset means write .eml files instead of sending",
    )
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port")
    smtp_user: str | None = Field(None, description="SMTP user name")
    smtp_password: str | None = Field(None, description="SMTP password (environment only)")
    smtp_starttls: bool = Field(True, description="Use STARTTLS on the SMTP connection")
    digest_from: str = Field(
        "clusterwatch@localhost", min_length=3, description="From address of the digest"
    )
    digest_to: Annotated[tuple[str, ...], BeforeValidator(_comma_list)] = Field(
        (), description="Recipients of the digest, comma-separated"
    )
    base_url: WebUrl = Field(
        "http://127.0.0.1:8000",
        description="Public base URL of the web UI, for links in the digest",
    )
    secret_key: str | None = Field(
        None, description="Key signing web sessions and CSRF tokens (environment only)"
    )

    @property
    def resolved_user_agent(self) -> str:
        return self.user_agent.replace("{contact_url}", self.contact_url)


SETTING_NAMES: tuple[str, ...] = tuple(Settings.model_fields)
DESCRIPTIONS: dict[str, str] = {
    name: field.description or "" for name, field in Settings.model_fields.items()
}


def env_name(setting: str) -> str:
    return ENV_PREFIX + setting.upper()


def load_settings(
    config_path: Path | None = None,
    env: Mapping[str, str] = os.environ,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build the settings by the precedence in the module docstring."""
    return load_with_sources(config_path, env, overrides)[0]


def load_with_sources(
    config_path: Path | None = None,
    env: Mapping[str, str] = os.environ,
    overrides: Mapping[str, Any] | None = None,
) -> tuple[Settings, dict[str, str]]:
    """The settings and, for each setting not at its default, where its value came from."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    named = config_path or (Path(env[CONFIG_ENV_VAR]) if env.get(CONFIG_ENV_VAR) else None)
    path = named or default_config_path(env)
    if path.is_file():
        for key, value in _read_config_file(path).items():
            values[key], sources[key] = value, str(path)
    elif named is not None:
        raise SettingsError(f"{path}: config file not found; create it or unset {CONFIG_ENV_VAR}")
    for name in SETTING_NAMES:
        raw = env.get(env_name(name))
        if raw is not None and raw != "":
            values[name], sources[name] = raw, f"environment {env_name(name)}"
    for name, value in (overrides or {}).items():
        if value is not None:
            values[name], sources[name] = value, f"option --{name.replace('_', '-')}"
    return validated(values, sources), sources


def validated(values: Mapping[str, Any], sources: Mapping[str, str]) -> Settings:
    """Settings from raw values; every invalid value is reported with its source."""
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "?"
            where = sources.get(name, "default")
            value = values.get(name)
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {name}={value!r}: {message}")
        raise SettingsError("; ".join(problems)) from None


def with_overrides(base: Settings, overrides: Mapping[str, Any]) -> Settings:
    """`base` with explicit command-line values laid over it, validated again."""
    changes = {name: value for name, value in overrides.items() if value is not None}
    if not changes:
        return base
    sources = {name: f"option --{name.replace('_', '-')}" for name in changes}
    return validated({**base.model_dump(), **changes}, sources)


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read the config file ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: {exc}; fix the TOML syntax") from exc
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in Settings.model_fields:
            raise SettingsError(
                f"{path}: unknown setting {key!r}; known: {', '.join(sorted(SETTING_NAMES))}"
            )
        if key in ENV_ONLY:
            raise SettingsError(f"{path}: {key!r} is a secret; set {env_name(key)} instead")
        if key == "seeds" and isinstance(value, str):
            value = str(path.parent / Path(value).expanduser())  # relative to the config file
        values[key] = value
    return values
