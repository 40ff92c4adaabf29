"""``-j 2`` builds the same web edition as ``-j 1`` (every extension is parallel safe)."""

from __future__ import annotations

import difflib
import os
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, VENV_BIN

pytestmark = pytest.mark.slow

#: Output files whose bytes must not depend on the number of processes.
COMPARED = ("*.html", "*.js", "*.inv", "*.svg", "*.css")


def build(out: Path, jobs: int) -> None:
    cmd = [str(VENV_BIN / "sphinx-build"), "-q", "-b", "html", "-c", str(REPO)]
    cmd += ["-j", str(jobs), "-d", str(out / ".doctrees"), str(REPO / "source"), str(out / "html")]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1622678400"},
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]


def files(root: Path) -> dict[str, Path]:
    return {
        p.relative_to(root).as_posix(): p
        for pattern in COMPARED
        for p in root.rglob(pattern)
        if ".doctrees" not in p.parts
    }


def test_parallel_build_writes_the_same_site(tmp_path: Path) -> None:
    build(tmp_path / "j1", 1)
    build(tmp_path / "j2", 2)
    one, two = files(tmp_path / "j1" / "html"), files(tmp_path / "j2" / "html")
    assert sorted(one) == sorted(two)
    for name, path in sorted(one.items()):
        a, b = path.read_bytes(), two[name].read_bytes()
        if a != b:
            diff = difflib.unified_diff(
                a.decode(errors="replace").splitlines(),
                b.decode(errors="replace").splitlines(),
                "-j 1/" + name,
                "-j 2/" + name,
                lineterm="",
                n=1,
            )
            pytest.fail("\n".join(list(diff)[:40]))
