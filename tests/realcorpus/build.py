"""Rebuild the real-page corpus from the public repositories its labels name.

The pages are real sites' HTML, saved in public GitHub repositories by other people; their licence
is unclear, so they are not committed. Each label records repository, commit, path and blob id;
this script copies each page out of a local snapshot of its repository (a bare git directory under
`$CLUSTERWATCH_MIRRORS`, default /work/.mirror, named `owner+name/repo`, as the search tool's `fetch`
leaves it), checks the blob id and writes `pages/<id>.html` (labelled pages) and
`pages/content/<blob>.html` (the unlabelled content pages of the false-alarm test).

Run: python tests/realcorpus/build.py [--check]
Exit 0 when every page is there, 1 when some snapshot is missing (the message names it).
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
PAGES = HERE / "pages"
MIRRORS = Path(os.environ.get("CLUSTERWATCH_MIRRORS", "/work/.mirror"))


def label_files() -> list[Path]:
    return sorted(HERE.glob("labels-*.yaml"))


def labelled_entries() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for path in label_files():
        entries.extend(yaml.safe_load(path.read_text("utf-8")) or [])
    return entries


def content_entries() -> list[dict[str, Any]]:
    path = HERE / "content-pages.yaml"
    if not path.exists():
        return []
    return list(yaml.safe_load(path.read_text("utf-8")) or [])


def mirror_of(repo: str) -> Path:
    """The bare git directory of a repository's snapshot (`fetch` puts it in a `repo` folder)."""
    folder = MIRRORS / repo.replace("/", "+")
    for candidate in (folder / "repo" / ".git", folder / "repo"):
        if (candidate / "objects").is_dir():
            return candidate
    return folder


def page_path(entry: dict[str, Any]) -> Path:
    if "id" in entry:
        return PAGES / f"{entry['id']}.html"
    return PAGES / "content" / f"{entry['blob']}.html"


def read_blob(entry: dict[str, Any]) -> bytes:
    """The page's bytes from its snapshot, checked against the recorded blob id."""
    git_dir = mirror_of(entry["repo"])
    raw = subprocess.run(
        ["git", f"--git-dir={git_dir}", "cat-file", "blob", entry["blob"]],
        capture_output=True,
        check=True,
    ).stdout
    if entry.get("compression") == "gzip":
        return gzip.decompress(raw)
    return raw


def build(check_only: bool) -> int:
    missing_repos: set[str] = set()
    broken: list[str] = []
    written = present = 0
    for entry in [*labelled_entries(), *content_entries()]:
        target = page_path(entry)
        if target.exists():
            present += 1
            continue
        if not mirror_of(entry["repo"]).is_dir():
            missing_repos.add(entry["repo"])
            continue
        if check_only:
            continue
        try:
            body = read_blob(entry)
        except subprocess.CalledProcessError:
            broken.append(
                f"{entry.get('id', entry['blob'])}: blob {entry['blob']} not in {entry['repo']}"
            )
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        written += 1
    print(f"real corpus: {present} pages present, {written} written into {PAGES}")
    for repo in sorted(missing_repos):
        print(f"missing snapshot {mirror_of(repo)}: fetch github:{repo} first", file=sys.stderr)
    for problem in broken:
        print(f"broken label {problem}", file=sys.stderr)
    return 1 if missing_repos or broken else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report what is missing")
    return build(parser.parse_args().check)


if __name__ == "__main__":
    sys.exit(main())
