"""Generated pages (core.extrapages) are left as they are by a later ``sphinx-build`` process
when nothing they show changed, also in ``hoshin build``'s staging copy of the output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import REPO


def _build(root: Path, out: Path, seed: str) -> None:
    # another string-hash seed: sets in the configuration iterate in another order
    env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1622678400"}
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-N", "-d", str(root / "_dt")]
    subprocess.run([*cmd, str(root), str(out)], check=True, env=env, capture_output=True)


def _pages(out: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.name: (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted((out / "glossary-uses").glob("*.html"))
    }


def test_a_new_process_and_a_staging_copy_leave_unchanged_back_link_pages(
    tmp_path: Path,
) -> None:
    root = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "roots" / "test-glossary", root)
    out = root / "_build" / "html"
    _build(root, out, "1")
    first = _pages(out)
    assert "rfi.html" in first
    chapter = root / "chapter-b.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n用語のない文です。\n", "utf-8")
    staging = root / "_build" / ".html.staging"
    shutil.copytree(out, staging)  # what hoshin build does: mtimes kept
    _build(root, staging, "2")
    assert "用語のない文です。" in (staging / "chapter-b.html").read_text("utf-8")
    assert _pages(staging) == first
    # a folder the record does not describe (files of other times) gets every page written
    other = root / "_build" / "other"
    other.mkdir()
    shutil.copytree(out / "glossary-uses", other / "glossary-uses", copy_function=shutil.copy)
    _build(root, other, "3")
    assert {name: page[1] for name, page in _pages(other).items()} == {
        name: page[1] for name, page in first.items()
    }
    assert all(_pages(other)[name][0] != first[name][0] for name in first)
