"""The seed list: config/seeds.yaml read, validated as a whole, and turned into `Seed` objects.

This module owns the seeds file format and nothing else (no database, no Scrapy). It validates
the whole file and reports every problem at once, one per line, as
``file:line: cluster 'id': field 'f': what is wrong; what to do``, so that a curator fixes a file
in one pass. It never returns a partial list: either every seed, or `SeedsError`.

Line numbers come from PyYAML's composed node tree (``yaml.compose`` with ``SafeLoader``), which
also lets us refuse duplicate mapping keys that ``safe_load`` would silently collapse, and tell
text from the numbers, booleans and dates YAML reads unquoted words as.

The YAML is read by `seeds_yaml.SeedsLoader`, which refuses anchors, aliases and deep nesting
before any node is built (a kilobyte of nested aliases cannot expand).

Public API: `load_seeds`, `parse_seeds`, `Seed`, `SeedProblem`, `SeedsError`, `SECTORS`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from clusterwatch.crawler.seeds_yaml import MAX_SEEDS_BYTES, SeedsLoader

#: The allowed values of a cluster's ``sector``, in the order error messages list them.
SECTORS: tuple[str, ...] = (
    "life_science",
    "ict",
    "energy_environment",
    "automotive",
    "electronics",
    "precision_manufacturing",
    "aerospace",
    "food",
    "other",
)

#: Cluster ids appear in URLs, file names and CLI arguments (``--only ID``): keep them plain.
ID_PATTERN = re.compile(r"[a-z0-9-]+")

#: The widest value each text field may have: the width of its column in `clusters`
#: (db/models.py; a test keeps the two equal). PostgreSQL refuses longer ones mid-crawl.
MAX_CHARS: dict[str, int] = {"id": 64, "name": 300, "name_ja": 300, "prefecture": 80}

#: Only web pages are crawled.
URL_SCHEMES = frozenset({"http", "https"})

TOP_LEVEL_KEYS: tuple[str, ...] = ("clusters", "hubs")
HUB_KEYS: tuple[str, ...] = ("url", "note")
OPTIONAL_TEXT_KEYS: tuple[str, ...] = ("name_ja", "prefecture", "source")
CLUSTER_KEYS: tuple[str, ...] = (
    "id",
    "name",
    "sector",
    "urls",
    *OPTIONAL_TEXT_KEYS,
    "baseline_2016",
)

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"

Entries = dict[str, tuple[Node, Node]]


@dataclass(frozen=True)
class Seed:
    """One cluster organisation to crawl; ``urls[0]`` is its home page."""

    id: str
    name: str
    name_ja: str | None
    sector: str
    prefecture: str | None
    urls: tuple[str, ...]
    # What the 2016 screening / 2017 briefing said (English site, EU partners); free-form.
    baseline_2016: dict[str, object] | None = field(default=None, hash=False)
    source: str | None = None

    @property
    def home_url(self) -> str:
        """The first URL listed: the page whose fate (alive, moved, parked) speaks for the site."""
        return self.urls[0]


@dataclass(frozen=True)
class SeedProblem:
    """One fault in a seeds file, located as precisely as the file allows."""

    path: str
    line: int
    cluster: str | None  # "cluster 'yrp'", or "cluster #3" when the id is missing or invalid
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [f"{self.path}:{self.line}:"]
        if self.cluster is not None:
            parts.append(f"{self.cluster}:")
        if self.field is not None:
            parts.append(f"field '{self.field}':")
        return " ".join([*parts, self.message])


@dataclass(frozen=True)
class SeedHub:
    """A page listing cluster organisations, read by discovery (see monitor/hubs.py)."""

    url: str
    note: str | None = None


class SeedsError(ValueError):
    """The seeds file cannot be used; ``problems`` holds every fault, one per message line."""

    def __init__(self, problems: Sequence[SeedProblem]) -> None:
        self.problems: tuple[SeedProblem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def load_seeds(path: Path) -> list[Seed]:
    """Read and validate the seeds file at ``path``; raise `SeedsError` listing all problems."""
    return load_seed_file(path)[0]


def parse_seeds(text: str, path: str = "<seeds>") -> list[Seed]:
    """Validate seeds YAML ``text``; ``path`` names the file in error messages."""
    return parse_seed_file(text, path)[0]


def load_seed_file(path: Path) -> tuple[list[Seed], list[SeedHub]]:
    """The clusters and the hubs of the seeds file at ``path``, validated together."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        message = f"cannot read the seeds file ({exc}); check the path and that it is UTF-8"
        raise SeedsError([SeedProblem(str(path), 1, None, None, message)]) from exc
    return parse_seed_file(text, str(path))


def parse_seed_file(text: str, path: str = "<seeds>") -> tuple[list[Seed], list[SeedHub]]:
    """Validate seeds YAML ``text``: its clusters and its optional `hubs:` list."""
    if len(text) > MAX_SEEDS_BYTES:
        message = f"larger than {MAX_SEEDS_BYTES} characters; this is not a seeds file"
        raise SeedsError([SeedProblem(path, 1, None, None, message)])
    try:
        root = yaml.compose(text, Loader=SeedsLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        message = f"YAML syntax error: {exc.problem or exc.context or 'not YAML'}; fix the YAML"
        raise SeedsError([SeedProblem(path, line, None, None, message)]) from exc
    except yaml.reader.ReaderError as exc:  # a control character YAML does not allow
        line = text[: exc.position].count("\n") + 1
        message = f"character {exc.character!r} is not allowed in YAML; remove it"
        raise SeedsError([SeedProblem(path, line, None, None, message)]) from exc
    checker = _Checker(path)
    seeds = checker.document(root)
    if checker.problems:
        raise SeedsError(sorted(checker.problems, key=lambda problem: problem.line))
    return seeds, checker.hubs


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _is_text(node: Node) -> bool:
    """True for a scalar YAML reads as a string (not a number, boolean, date or null)."""
    return isinstance(node, ScalarNode) and node.tag == _STR_TAG


def _label(node: MappingNode, index: int) -> str:
    """How problems name a cluster: by its id when that is usable, else by its position."""
    for key_node, value_node in node.value:
        if _is_text(key_node) and key_node.value == "id" and _is_text(value_node):
            if ID_PATTERN.fullmatch(value_node.value):
                return f"cluster '{value_node.value}'"
            break
    return f"cluster #{index}"


def _unknown_key(key: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown key '{key}'; {hint}allowed keys are {', '.join(allowed)}"


def _url_problem(url: str) -> str | None:
    """Why ``url`` is not a usable seed URL, or None when it is one."""
    if any(char.isspace() for char in url) or not url.isprintable():
        return f"'{url}' contains spaces or control characters; percent-encode them"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        return f"'{url}' is malformed ({exc}); fix the URL"
    if parts.scheme not in URL_SCHEMES:
        return f"'{url}' does not start with http:// or https://; give a web address"
    if not parts.hostname:
        return f"'{url}' has no host name; write the full address (http://host/path)"
    return None


class _Checker:
    """Walks the composed document once, collecting problems and building seeds."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[SeedProblem] = []
        self.hubs: list[SeedHub] = []
        self._first_line_of_id: dict[str, int] = {}

    def report(self, node: Node, cluster: str | None, fld: str | None, message: str) -> None:
        self.problems.append(SeedProblem(self.path, _line(node), cluster, fld, message))

    def mapping(self, node: MappingNode, cluster: str | None) -> Entries:
        """The mapping's entries by key, reporting duplicate and non-text keys."""
        entries: Entries = {}
        for key_node, value_node in node.value:
            if not _is_text(key_node):
                self.report(key_node, cluster, None, "keys must be plain names; rename this key")
            elif key_node.value in entries:
                key, first = key_node.value, _line(entries[key_node.value][0])
                message = f"duplicate key '{key}' (first at line {first}); keep only one"
                self.report(key_node, cluster, key, message)
            else:
                entries[key_node.value] = (key_node, value_node)
        return entries

    def nested(self, node: Node, cluster: str) -> None:
        """Report duplicate keys in mappings anywhere under ``node``."""
        if isinstance(node, MappingNode):
            children = [value for _, value in self.mapping(node, cluster).values()]
        else:
            children = list(node.value) if isinstance(node, SequenceNode) else []
        for child in children:
            self.nested(child, cluster)

    def document(self, root: Node | None) -> list[Seed]:
        if root is None:
            message = "the file is empty; add a top-level 'clusters:' list"
            self.problems.append(SeedProblem(self.path, 1, None, None, message))
            return []
        if not isinstance(root, MappingNode):
            self.report(root, None, None, "the top level must be a mapping with a 'clusters' list")
            return []
        entries = self.mapping(root, None)
        for key, (key_node, _) in entries.items():
            if key not in TOP_LEVEL_KEYS:
                self.report(key_node, None, key, _unknown_key(key, TOP_LEVEL_KEYS))
        if "hubs" in entries:
            self.hubs = self.hub_list(entries["hubs"][1])
        if "clusters" not in entries:
            self.report(root, None, "clusters", "missing; add a top-level 'clusters:' list")
            return []
        clusters = entries["clusters"][1]
        if not isinstance(clusters, SequenceNode) or not clusters.value:
            message = "must be a non-empty list; add '- id: ...' entries"
            self.report(clusters, None, "clusters", message)
            return []
        seeds = [self.cluster(item, index) for index, item in enumerate(clusters.value, start=1)]
        return [seed for seed in seeds if seed is not None]

    def hub_list(self, node: Node) -> list[SeedHub]:
        """`hubs:` — a list of {url, note}: pages that list cluster organisations."""
        if not isinstance(node, SequenceNode):
            self.report(node, None, "hubs", "must be a list of '- url: ...' entries")
            return []
        hubs = []
        for index, item in enumerate(node.value, start=1):
            label = f"hub #{index}"
            if not isinstance(item, MappingNode):
                self.report(item, label, None, "must be a mapping of url and note")
                continue
            entries = self.mapping(item, label)
            for key, (key_node, _) in entries.items():
                if key not in HUB_KEYS:
                    self.report(key_node, label, key, _unknown_key(key, HUB_KEYS))
            url = self.text(item, entries, label, "url", required=True)
            problem = _url_problem(url) if url is not None else None
            if problem is not None:
                self.report(entries["url"][1], label, "url", problem)
            elif url is not None:
                hubs.append(SeedHub(url, self.text(item, entries, label, "note")))
        return hubs

    def cluster(self, node: Node, index: int) -> Seed | None:
        if not isinstance(node, MappingNode):
            message = "must be a mapping of id, name, sector, urls, ..."
            self.report(node, f"cluster #{index}", None, message)
            return None
        label = _label(node, index)
        before = len(self.problems)
        entries = self.mapping(node, label)
        seed_id = self.cluster_id(node, entries, label)
        for key, (key_node, _) in entries.items():
            if key not in CLUSTER_KEYS:
                self.report(key_node, label, key, _unknown_key(key, CLUSTER_KEYS))
        name = self.text(node, entries, label, "name", required=True)
        sector = self.text(node, entries, label, "sector", required=True)
        if sector is not None and sector not in SECTORS:
            message = f"'{sector}' is not one of {', '.join(SECTORS)}; use one of them"
            self.report(entries["sector"][1], label, "sector", message)
        urls = self.urls(node, entries, label)
        optional = {key: self.text(node, entries, label, key) for key in OPTIONAL_TEXT_KEYS}
        baseline = self.baseline(entries, label)
        if len(self.problems) > before or seed_id is None or name is None or sector is None:
            return None
        return Seed(
            id=seed_id, name=name, sector=sector, urls=urls, baseline_2016=baseline, **optional
        )

    def cluster_id(self, node: MappingNode, entries: Entries, label: str) -> str | None:
        """The cluster's id if well-formed (a duplicate is reported, and returned)."""
        seed_id = self.text(node, entries, label, "id", required=True)
        if seed_id is None:
            return None
        value_node = entries["id"][1]
        if not ID_PATTERN.fullmatch(seed_id):
            message = f"'{seed_id}' may use only a-z, 0-9 and '-'; rename it (e.g. 'kobe-kbic')"
            self.report(value_node, label, "id", message)
            return None
        if seed_id in self._first_line_of_id:
            first = self._first_line_of_id[seed_id]
            message = f"duplicate id '{seed_id}' (first at line {first}); give each its own id"
            self.report(value_node, label, "id", message)
        else:
            self._first_line_of_id[seed_id] = _line(value_node)
        return seed_id

    def text(
        self, node: MappingNode, entries: Entries, label: str, key: str, *, required: bool = False
    ) -> str | None:
        """A text field's value; a missing or null optional field gives None."""
        if key not in entries:
            if required:
                self.report(node, label, key, f"missing; add '{key}:' to this cluster")
            return None
        value_node = entries[key][1]
        if value_node.tag == _NULL_TAG and not required:
            return None
        if not _is_text(value_node) or not str(value_node.value).strip():
            self.report(value_node, label, key, "must be non-empty text; quote it if needed")
            return None
        value = str(value_node.value)
        if len(value) > MAX_CHARS.get(key, len(value)):
            message = f"{len(value)} characters, at most {MAX_CHARS[key]} fit; shorten it"
            self.report(value_node, label, key, message)
            return None
        return value

    def urls(self, node: MappingNode, entries: Entries, label: str) -> tuple[str, ...]:
        if "urls" not in entries:
            self.report(node, label, "urls", "missing; add 'urls:' with the home page first")
            return ()
        value_node = entries["urls"][1]
        if not isinstance(value_node, SequenceNode) or not value_node.value:
            message = "must be a non-empty list of http(s) URLs, the home page first"
            self.report(value_node, label, "urls", message)
            return ()
        urls: list[str] = []
        for item in value_node.value:
            problem = _url_problem(str(item.value)) if _is_text(item) else "must be a URL (text)"
            if problem is None:
                urls.append(str(item.value))
            else:
                self.report(item, label, "urls", problem)
        return tuple(urls)

    def baseline(self, entries: Entries, label: str) -> dict[str, object] | None:
        if "baseline_2016" not in entries:
            return None
        value_node = entries["baseline_2016"][1]
        if value_node.tag == _NULL_TAG:
            return None
        if not isinstance(value_node, MappingNode):
            message = "must be a mapping, e.g. {english_site: true, eu_partners: [...]}"
            self.report(value_node, label, "baseline_2016", message)
            return None
        self.nested(value_node, label)
        loader = yaml.SafeLoader("")
        try:
            value = loader.construct_document(value_node)
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date such as 2016-02-30
            self.report(value_node, label, "baseline_2016", f"unreadable ({exc}); quote values")
            return None
        finally:
            loader.dispose()
        return {str(key): item for key, item in value.items()}
