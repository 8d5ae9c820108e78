"""The README's first command, word for word, in a clean clone: then the CLI works from anywhere.

A fresh clone (`git clone` of this repository, so only committed files), Debian's own
/usr/bin/python3 where the machine has it (it refuses `pip install` outside a virtual
environment), pip's cache and the package registry as configured. The command's crawl goes to
the simulated web through its proxy, with its seeds (CLUSTERWATCH_SEEDS): no traffic leaves
127.0.0.1 except pip's to the registry (no_proxy). Then the installed `clusterwatch` runs the
CLI bad-input table and a crawl from another folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from clusterwatch.simweb import SimulatedWeb
from tests.cli_bad_input import problems
from tests.crawl_output import check_output, crawl_from_elsewhere, environment

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
DEBIAN_PYTHON = Path("/usr/bin/python3")
# pip reaches the registry directly; everything else goes to the simulated web's proxy
REGISTRY_HOSTS = "pypi.org,files.pythonhosted.org,.pythonhosted.org,localhost"


def readme_commands() -> list[str]:
    """The two commands of the README's set-up section, as written there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up: two commands", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "no sh block in the set-up section"
    return block.group(1).strip().splitlines()


def python_first_on_path(folder: Path) -> str:
    """PATH with Debian's python3 first where it exists, else the one running the tests."""
    bin_folder = folder / "bin"
    bin_folder.mkdir()
    python = DEBIAN_PYTHON if DEBIAN_PYTHON.exists() else Path(shutil.which("python3") or "")
    (bin_folder / "python3").symlink_to(python)
    return f"{bin_folder}{os.pathsep}{os.environ['PATH']}"


def test_the_readme_has_two_commands_and_the_first_makes_a_virtual_environment() -> None:
    first, second = readme_commands()
    assert first.startswith("python3 -m venv .venv && ") and "pip install -e '.[dev]'" in first
    assert second == ".venv/bin/python -m pytest"


def test_a_fresh_clone_installs_with_the_readme_command_and_works_from_anywhere(
    tmp_path: Path,
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    first = readme_commands()[0]
    with SimulatedWeb(phase=1) as web:
        seeds = web.write_seeds(tmp_path / "simweb-seeds.yaml")
        env = environment(tmp_path / "home", {**web.proxy_env(), "no_proxy": REGISTRY_HOSTS})
        env = {key: value for key, value in env.items() if key != "PYTHONPATH"}
        env |= {"PATH": python_first_on_path(tmp_path), "CLUSTERWATCH_SEEDS": str(seeds)}
        installed = subprocess.run(
            ["bash", "-c", first],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    assert "run 1 complete" in installed.stdout
    clusterwatch = str(clone / ".venv" / "bin" / "clusterwatch")
    version = subprocess.run([clusterwatch, "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("clusterwatch, version ")

    # the installed command must find its package in the environment, not through PYTHONPATH
    assert problems([clusterwatch], tmp_path / "bad-input", drop=("PYTHONPATH",)) == []
    crawl = crawl_from_elsewhere([clusterwatch], tmp_path / "elsewhere", drop=("PYTHONPATH",))
    assert crawl.result.returncode == 0, crawl.result.stderr[-3000:]
    assert check_output(crawl) == []
