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
    assert "cloud.html" in first  # a term used on two pages
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


def test_opinion_office_files_are_written_again_only_when_their_table_changed(
    tmp_path: Path,
) -> None:
    """The 意見の概要と市の考え方 .xlsx/.docx beside the table (written at the end of every HTML
    build) keep their files over a save that does not touch the opinions."""
    import io

    from hoshin.cli.preview import PreviewBuilder

    root = tmp_path / "o"
    shutil.copytree(REPO / "tests" / "roots" / "test-opinions-alone", root)
    page = root / "other.md"  # a second page: a build that reads every page writes everything
    page.write_text("---\norphan: true\n---\n# 別のページ\n\n本文です。\n", "utf-8")
    kept = PreviewBuilder(
        confdir=root,
        srcdir=root,
        outdir=root / "_build" / "html",
        doctreedir=root / "_build" / "doctrees",
        data=(root / "revisions",),
        warning=io.StringIO(),
    )
    files = [kept.outdir / "_opinions" / f"sample.{ext}" for ext in ("xlsx", "docx")]

    def stats() -> list[tuple[int, bytes]]:
        return [(f.stat().st_mtime_ns, f.read_bytes()) for f in files]

    try:
        assert kept.build().ok
        before = stats()
        page.write_text(page.read_text("utf-8") + "\n段落を足しました。\n", "utf-8")
        report = kept.build([page])
        assert report.ok and not report.fresh
        assert stats() == before
        data = root / "revisions" / "opinions" / "sample.yaml"
        data.write_text(data.read_text("utf-8").replace("街路樹を", "並木を"), "utf-8")
        assert kept.build([data]).ok
        after = stats()
        assert all(a[0] != b[0] and a[1] != b[1] for a, b in zip(after, before, strict=True))
    finally:
        kept.close()
