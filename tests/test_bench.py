"""The benchmark tooling: the synthetic shelf, the Markdown merge, and a smoke run of make bench."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, VENV_BIN

sys.path.insert(0, str(REPO / "bench"))

import harness
import shelf

LABEL = re.compile(r"^\(([^)]+)\)=", re.M)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return shelf.shelf_pages(REPO / "source", 3)


def test_every_document_gets_its_own_labels(pages: dict[str, str]) -> None:
    labels = [m[1] for text in pages.values() for m in LABEL.finditer(text)]
    assert len(labels) == len(set(labels))
    assert {"p001-sec-3-1-2", "p002-sec-3-1-2", "p003-sec-3-1-2"} <= set(labels)


def test_chapters_layout_merges_each_top_level_entry_into_one_page(pages: dict[str, str]) -> None:
    document = {name.split("/", 1)[1] for name in pages if name.startswith("p001/")}
    assert "3/3-1" in document
    assert "3/3-1-2" not in document  # merged into 3/3-1
    merged = pages["p001/3/3-1"]
    assert "(p001-sec-3-1-2)=\n## 3-1-2." in merged
    assert "```{toctree}" not in merged
    assert merged.count("\n---\n") == 0 or merged.startswith("---\n")  # no stray front matter


def test_the_portal_lists_every_document_and_the_shared_glossary(pages: dict[str, str]) -> None:
    portal = pages["index"]
    assert all(f"p{k:03d}/index" in portal for k in (1, 2, 3))
    if (REPO / "source" / "glossary.md").is_file():
        assert "glossary" in pages and "p001/glossary" not in pages


def test_references_follow_their_labels() -> None:
    text = "(sec-1)=\n# x\n\n{ref}`sec-1` と {ref}`題 <sec-1>`、[節](#sec-1)、sec-1x\n"
    out = shelf._relabel(text, {"sec-1"}, "p009")
    assert out == (
        "(p009-sec-1)=\n# x\n\n{ref}`p009-sec-1` と {ref}`題 <p009-sec-1>`、[節](#p009-sec-1)、sec-1x\n"
    )


def test_edits_touch_the_requested_share_of_prose_lines(pages: dict[str, str]) -> None:
    edited, count = shelf.edit_pages(pages, 0.05)
    changed = sum(
        a != b
        for name in pages
        for a, b in zip(pages[name].split("\n"), edited[name].split("\n"), strict=True)
    )
    assert changed == count > 0
    assert shelf.edit_pages(pages, 0.05) == (edited, count)  # seeded: repeatable


def test_blocks_are_replaced_in_place_and_other_sections_kept() -> None:
    document = "# ベンチマーク\n\n前書き。\n\n## ページの重さ\n\n表。\n"
    order = ["intro", "summary", "overhead"]
    document = harness.merge_blocks(document, {"intro": "## 計測", "overhead": "### 1\nA"}, order)
    document = harness.merge_blocks(document, {"summary": "### 一覧"}, order)
    document = harness.merge_blocks(document, {"overhead": "### 1\nB"}, order)
    assert document.index("前書き") < document.index("## 計測") < document.index("### 一覧")
    assert (
        document.index("### 一覧") < document.index("### 1\nB") < document.index("## ページの重さ")
    )
    assert "### 1\nA" not in document
    assert document.count("<!-- bench:overhead -->") == 1


def test_fitted_exponent_of_a_power_law() -> None:
    assert harness.fitted_exponent([1, 10, 100], [2, 20, 200]) == pytest.approx(1.0)
    assert harness.fitted_exponent([1, 10, 100], [1, 100, 10_000]) == pytest.approx(2.0)


@pytest.mark.slow
def test_quick_bench_run_writes_its_sections(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    out.write_text("# ベンチマーク\n\n## ページの重さ\n\n手で書いた節。\n", encoding="utf-8")
    cmd = [str(VENV_BIN / "python"), str(REPO / "bench" / "run.py"), "--quick"]
    cmd += ["--only", "overhead,memory", "--out", str(out)]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for name in ("intro", "summary", "machine", "overhead", "scale", "memory"):
        assert f"<!-- bench:{name} -->" in text
    assert "手で書いた節。" in text
    assert "| コア数 |" in text
    assert re.search(r"\| ×2 hoshin \| \d", text)
