"""hoshin as a tool a town installs: the wheel, installed outside this repository, runs the
whole first day (init, setup, build --pdf, lint, freeze, diff) with nothing of the checkout.

No network: the wheel is built with the repository venv's setuptools (no build isolation),
installed with --no-index and --no-deps; its dependencies come from the repository venv's
site-packages through a .pth file (that folder holds no hoshin: the repository's own
install is editable, its path hook is not read from there). The Node.js tools come from the
cache the test session prepared (tests/conftest.py, HOSHIN_NODE_CACHE).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: Data files the package needs at run time (pyproject's package-data).
PACKAGE_DATA = (
    "hoshin/cli/scaffold/Makefile",
    "hoshin/cli/scaffold/conf.py",
    "hoshin/cli/scaffold/gitignore",
    "hoshin/cli/scaffold/source/index.md",
    "hoshin/cli/scaffold/source/1/1-1.md",
    "hoshin/cli/scaffold/revisions/history.yaml",
    "hoshin/web/static/hoshin.css",
    "hoshin/pdf/latex/hoshin.sty",
    "hoshin/glossary/data/hard_words.tsv",
    "hoshin/lint/data/textlintrc.json",
    "hoshin/lint/data/prh.yml",
    "hoshin/core/npm/package.json",
    "hoshin/core/npm/package-lock.json",
    "hoshin/cli/locale/ja/LC_MESSAGES/hoshin.mo",
    "hoshin/py.typed",
)


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _build_wheel(tmp_path: Path, env: dict[str, str]) -> Path:
    src = tmp_path / "src"  # a copy: building in place would write build/ into the checkout
    shutil.copytree(REPO / "_ext", src / "_ext",
                    ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))  # fmt: skip
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    stray = src / "_ext" / "hoshin" / "cli" / "scaffold" / "__pycache__"
    stray.mkdir()
    (stray / "conf.cpython-311.pyc").write_bytes(b"not for the wheel")
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "-q", "-w", str(dist), str(src)], tmp_path, env)  # fmt: skip
    [wheel] = dist.glob("hoshin-*.whl")
    return wheel


@pytest.mark.slow
def test_the_wheel_runs_a_towns_first_day_outside_the_repository(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.pop("SOURCE_DATE_EPOCH", None)
    started = time.perf_counter()
    wheel = _build_wheel(tmp_path, env)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert [n for n in PACKAGE_DATA if n not in names] == []
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
          "--no-index", str(wheel)], tmp_path, env)  # fmt: skip
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                   tmp_path, env).stdout.strip()  # fmt: skip
    Path(purelib, "hoshin-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    where = _run([str(python), "-c", "import hoshin; print(hoshin.__file__)"], tmp_path, env)
    assert where.stdout.strip().startswith(str(venv)), where.stdout
    installed = time.perf_counter() - started

    hoshin = str(venv / "bin" / "hoshin")
    work = tmp_path / "work"
    work.mkdir()
    _run([hoshin, "init", "town", "--title", "山里町 情報化計画", "--issuer", "山里町"], work, env)
    town = work / "town"
    assert "already set up" in _run([hoshin, "setup"], work, env).stdout
    _run([hoshin, "-C", "town", "build", "--pdf"], work, env)
    assert sorted(p.name for p in (town / "_build" / "pdf").glob("*.pdf")) == ["town-current.pdf"]
    _run([hoshin, "-C", "town", "lint"], work, env)
    _run([hoshin, "-C", "town", "freeze", "v1", "--summary", "最初の版"], work, env)
    chapter = town / "source" / "1" / "1-1.md"
    chapter.write_text(chapter.read_text("utf-8").replace("見本の節", "最初の節"), "utf-8")
    diff = subprocess.run([hoshin, "-C", "town", "diff", "v1", "current"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert "最初の節" in diff.stdout, diff.stdout + diff.stderr
    sys.stderr.write(f"wheel built and installed in {installed:.1f} s, "
                     f"whole test {time.perf_counter() - started:.1f} s\n")  # fmt: skip
