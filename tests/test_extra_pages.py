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


_BUILD_COUNTING = """
import sys
from sphinx.cmd.build import build_main
import hoshin.glossary.page as page
if sys.argv[3] == "every page rendered":
    page.render_alike = lambda app, pages, template: ((n, c, template) for n, c in pages)
from sphinx.application import Sphinx
contexts = []
real_init = Sphinx.__init__
def init(self, *args, **kwargs):
    real_init(self, *args, **kwargs)
    self.connect("html-page-context", lambda app, name, *rest: contexts.append(name))
Sphinx.__init__ = init
code = build_main(["-b", "html", "-q", "-N", "-E", sys.argv[1], sys.argv[2]])
print(code, sum(1 for n in contexts if n.startswith("glossary-uses/")))
"""


def test_back_link_pages_written_without_the_template_equal_rendered_ones(tmp_path: Path) -> None:
    """Back-link pages differ only by their title and list: after Sphinx renders two, the
    others are the first with its title and list swapped (core.extrapages.render_alike).
    They are the very bytes Sphinx renders, titles that need escaping included."""
    root = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "roots" / "test-glossary", root)
    with (root / "glossary" / "a.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "- term: R&D<部門>\n  reading: んごのあと\n  id: r-and-d\n"
            '  definition: "研究開発のことです。"\n  kind: 略語\n  treatment: 説明を付ける\n'
            "  source: テスト\n"
        )
    for name, text in (
        ("chapter-a.md", "オープンデータとR&D<部門>の話です。\n"),
        ("chapter-b.md", "RFIを行い、ICTリテラシーを高め、R&D<部門>も続けます。\n"),
    ):
        path = root / name
        path.write_text(path.read_text("utf-8") + "\n" + text, "utf-8")

    def build(out: str, how: str) -> tuple[dict[str, bytes], int]:
        command = [sys.executable, "-c", _BUILD_COUNTING, str(root), str(root / out), how]
        proc = subprocess.run(command, capture_output=True, text=True, check=True)
        code, rendered = proc.stdout.split()[-2:]
        assert code == "0", proc.stderr
        pages = {p.name: p.read_bytes() for p in (root / out / "glossary-uses").glob("*.html")}
        return pages, int(rendered)

    swapped, rendered_by_sphinx = build("fast", "as hoshin does")
    expected, rendered_all = build("slow", "every page rendered")
    assert len(expected) >= 5 and "r-and-d.html" in expected
    # Sphinx renders two, then the one whose title is not plain text (R&D<部門>, last)
    assert rendered_all == len(expected) and rendered_by_sphinx == 3
    assert swapped == expected
    assert "「R&amp;D&lt;部門&gt;」が出てくる箇所" in expected["r-and-d.html"].decode("utf-8")
