"""Incremental builds re-read exactly what changed: the edited page and the pages that use it.

The draft is copied to a temporary folder and built with the project's conf.py; each test
edits one input and parses the ``reading sources... [ 50%] 3/3-1-2`` lines of the rebuild.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, VENV_BIN

pytestmark = pytest.mark.slow

# With CI=true (or a terminal) Sphinx rewrites one line: "\x1b[2K" + entry + "\r".
_READING = re.compile(r"(?:^|\x1b\[2K)reading sources\.\.\. \[\s*\d+%\] (?P<doc>[^\s\x1b]+)", re.M)


def reread(work: Path) -> list[str]:
    """Build ``work/source`` (not quiet, no colour) and return the docnames it read."""
    proc = subprocess.run(
        [
            str(VENV_BIN / "sphinx-build"),
            "-b",
            "html",
            "-N",
            "-c",
            str(REPO),
            "-d",
            str(work / "doctrees"),
            str(work / "source"),
            str(work / "html"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1622678400"},
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return sorted({m["doc"] for m in _READING.finditer(proc.stdout)})


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("incremental")
    shutil.copytree(REPO / "source", work / "source")
    assert len(reread(work)) == len(list((work / "source").rglob("*.md")))
    return work


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_nothing_changed_reads_nothing(work: Path) -> None:
    assert reread(work) == []


def _with_revision_note(work: Path, docname: str) -> bool:
    page = work / "html" / f"{docname}.html"
    return "hoshin-revised-note" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ["3/3-1-2", "3/3-1"], ids=["chapter", "page-with-toctree"])
def test_an_edited_page_is_the_only_page_read(work: Path, page: str) -> None:
    path = work / "source" / f"{page}.md"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n計測のための追記。\n", encoding="utf-8")
    first = reread(work)
    # The first edit makes the page differ from the last frozen version: pages whose
    # "この節は…改訂されています" note changed (the draft's 新旧対照表 gained a row) are
    # re-read too, and only those.
    assert page in first
    assert all(_with_revision_note(work, doc) for doc in set(first) - {page}), first
    path.write_text(original + "\n計測のための追記を書き換えた。\n", encoding="utf-8")
    assert reread(work) == [page]


def test_an_edited_flow_rereads_only_the_pages_that_draw_it(work: Path) -> None:
    flows = sorted((work / "source" / "flows").glob("*.yaml"))
    if not flows:
        pytest.skip("no flow data in source/ yet")
    flow = flows[0]
    users = sorted(
        page.relative_to(work / "source").with_suffix("").as_posix()
        for page in (work / "source").rglob("*.md")
        if f"flows/{flow.name}" in page.read_text(encoding="utf-8")
    )
    assert users, f"no page draws {flow.name}"
    append(flow, "\n# 計測のための追記\n")  # a YAML comment: the diagram itself is unchanged
    assert reread(work) == users
