"""A tiny hoshin project and in-process Sphinx builds for the incremental-equals-clean tests.

The project is made the way a city makes one (``hoshin init``, then ``hoshin freeze v1``), so
it has a 改版履歴, a 新旧対照表 page of v1 → the working draft and a glossary; a flow is added.
:func:`build_html` runs Sphinx in this process (no ``sphinx-build`` start-up: a few tenths of a
second per build); :func:`tree_differences` compares two output folders file by file after
:func:`normalise`, which removes only what the guide documents as differing between an
incremental and a clean build (docs/quickstart.md).
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from hoshin.cli import main

#: Files of a Sphinx output folder that describe the build, not the edition.
BUILD_RECORDS = frozenset({".buildinfo", ".buildinfo.bak"})

FLOW = """\
type: flow
title: 手続の流れ
steps:
  - id: a
    kind: start
    label: 申請を受け付ける
  - id: b
    kind: end
    label: 内容を確かめる
edges:
  - from: a
    to: b
"""


def make_project(target: Path) -> Path:
    """``hoshin init`` + ``hoshin freeze v1`` + a flow on page 1-1, in ``target``."""
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        assert main(["init", str(target), "--title", "町の方針", "--issuer", "町"]) == 0, (
            quiet.getvalue()
        )
        code = main(["-C", str(target), "freeze", "v1", "--event", "第1回会議",
                     "--date", "2021-04-01", "--summary", "最初の版です。"])  # fmt: skip
    assert code == 0, quiet.getvalue()
    flows = target / "source" / "flows"
    flows.mkdir()
    (flows / "f.yaml").write_text(FLOW, encoding="utf-8")
    page = target / "source" / "1" / "1-1.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n```{flow} ../flows/f.yaml\n```\n", encoding="utf-8"
    )
    return target


def build_html(root: Path, out: Path, doctrees: Path) -> str:
    """One in-process HTML build of ``root/source``; returns Sphinx's warnings."""
    from sphinx.cmd.build import build_main

    warnings = io.StringIO()
    with contextlib.chdir(root), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(warnings):  # fmt: skip
        code = build_main(["-b", "html", "-q", "-c", str(root), "-d", str(doctrees),
                           str(root / "source"), str(out)])  # fmt: skip
    assert code == 0, warnings.getvalue()[-3000:]
    return warnings.getvalue()


def normalise(name: str, data: bytes) -> bytes:
    """Nothing is normalised today: every byte of every page, script and image must match."""
    return data


def tree_differences(clean: Path, incremental: Path) -> list[str]:
    """Relative paths that differ (or exist on one side only), build records excluded."""

    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*")
                if p.is_file() and p.name not in BUILD_RECORDS}  # fmt: skip

    a, b = files(clean), files(incremental)
    found = [f"only in clean build: {n}" for n in sorted(a.keys() - b.keys())]
    found += [f"only in incremental build: {n}" for n in sorted(b.keys() - a.keys())]
    for name in sorted(a.keys() & b.keys()):
        if normalise(name, a[name].read_bytes()) != normalise(name, b[name].read_bytes()):
            found.append(f"differs: {name}")
    return found


def first_difference(clean: Path, incremental: Path, name: str) -> str:
    """A short view of where one file differs (for assertion messages)."""
    x = (clean / name).read_text(encoding="utf-8", errors="replace")
    y = (incremental / name).read_text(encoding="utf-8", errors="replace")
    i = next((k for k, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y)))
    return f"{name} @{i}:\n clean: {x[max(0, i - 150) : i + 150]!r}\n incr:  {y[max(0, i - 150) : i + 150]!r}"


def clean_build(root: Path, scratch: Path) -> Path:
    """A build from nothing of the same inputs (fresh output and doctree folders)."""
    shutil.rmtree(scratch, ignore_errors=True)
    build_html(root, scratch / "html", scratch / "doctrees")
    return scratch / "html"
