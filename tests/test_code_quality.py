"""The checks the README promises run with the tests: ruff, mypy, and the import directions.

Dependencies point one way (ARCHITECTURE.md): crawler.analysis imports no Scrapy, SQLAlchemy or
other project package; crawler imports nothing of monitor; monitor never imports Scrapy; db
imports neither crawler nor monitor. Every package may import clusterwatch.vocabulary, which
imports nothing (tests/test_vocabulary.py).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crawler", "monitor", "db", "simweb")
# modules of the root package itself (not linked folders): the shared vocabulary
ROOT_MODULES = ("src/clusterwatch/__init__.py", "src/clusterwatch/vocabulary.py")

# package prefix -> module prefixes it must not import
CW = "clusterwatch."
FORBIDDEN = {
    CW + "crawler.analysis": ("scrapy", "twisted", "sqlalchemy", CW + "db", CW + "monitor"),
    CW + "crawler": (CW + "monitor", CW + "simweb"),
    CW + "monitor": ("scrapy", "twisted"),
    CW + "db": (CW + "crawler", CW + "monitor", "scrapy", CW + "simweb"),
}
# The generic top-level names the package used to install; nothing may import them any more.
OLD_TOP_LEVEL = ("crawler", "monitor", "db", "simweb")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def module_name(path: Path) -> str:
    return "clusterwatch." + ".".join(path.relative_to(ROOT).with_suffix("").parts)


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_one_way(package: str) -> None:
    violations = []
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = module_name(path)
        rules = [bad for prefix, bad in FORBIDDEN.items() if module.startswith(prefix)]
        rule = rules[0] if rules else ()
        for name in imported_modules(path):
            forbidden = (*rule, *OLD_TOP_LEVEL)
            if any(name == bad or name.startswith(bad + ".") for bad in forbidden):
                violations.append(f"{module} imports {name}")
    assert violations == []


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *PACKAGES, *ROOT_MODULES, "tests", "bench"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *PACKAGES, *ROOT_MODULES, "tests", "bench"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-5000:]
