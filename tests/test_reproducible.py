"""Two builds of the same sources give byte-identical HTML (SOURCE_DATE_EPOCH set).

The committee can then check that a published build is the one they reviewed. The two
builds run in different folders, so an absolute path leaking into the output fails too.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

HOSHIN = str(Path(sys.executable).parent / "hoshin")


def _copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("conf.py", ".textlintrc.json", "prh.yml", "package.json", "package-lock.json"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, target / name)
    for name in ("source", "revisions", "glossary"):
        shutil.copytree(REPO / name, target / name)
    return target


def _differences(a: Path, b: Path) -> list[str]:
    found: list[str] = []
    cmp = filecmp.dircmp(a, b)
    found += [f"only in first: {n}" for n in cmp.left_only]
    found += [f"only in second: {n}" for n in cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    found += [str(a / n) for n in mismatch + errors]
    for sub in cmp.common_dirs:
        found += _differences(a / sub, b / sub)
    return found


@pytest.mark.slow
def test_two_builds_give_byte_identical_html(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1622678400"}
    outputs = []
    for name in ("first", "second-elsewhere"):
        root = _copy_project(tmp_path / name)
        proc = subprocess.run(
            [HOSHIN, "-C", str(root), "build"], env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        outputs.append(root / "_build" / "html")
    assert (outputs[0] / "versions").is_dir()  # frozen versions are part of what is compared
    assert _differences(*outputs) == []
