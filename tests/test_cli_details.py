"""Small things a clerk sees on the first day (issue 16, point 9): paths, permissions,
progress, rebuild triggers, page references and pages taken from the typeset PDF."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.cli.buildstamp import undrawn_diagrams_drawable
from hoshin.core.history import load_revisions
from hoshin.core.project import Project
from hoshin.glossary.terms import find_candidates
from hoshin.revisions.pdfpages import section_pages
from hoshin.revisions.state import RevisionState

from .conftest import REPO


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    shutil.copy(REPO / "conf.py", root / "conf.py")
    for folder in ("source", "revisions", "glossary"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_check_prints_every_path_relative_to_the_project(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    page = project / "source" / "3" / "3-1-1.md"
    page.write_text(page.read_text("utf-8") + "\nこの文は XQZW を使います。\n", "utf-8")
    monkeypatch.chdir(tmp_path)  # -C DIR from the folder above
    assert main(["-C", str(project), "check"]) == 1
    captured = capsys.readouterr()
    lines = [ln for ln in (captured.out + captured.err).splitlines() if ln.strip()]
    located = [ln for ln in lines if not ln.startswith("hoshin check:")]
    assert {ln.split("/", 1)[0] for ln in located} == {"revisions", "source"}, located
    assert any(ln.startswith("source/3/3-1-1.md:") and "[unexplained]" in ln for ln in located)
    assert any(ln.startswith("source/3/3-1-1.md:") and "XQZW" in ln for ln in located)


def test_diff_output_files_have_ordinary_permissions(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = os.umask(0o022)
    try:
        for fmt in ("json", "docx"):
            out = tmp_path / f"d.{fmt}"
            assert (
                main(["-C", str(project), "diff", "_63", "_83", "--format", fmt, "-o", str(out)])
                == 0
            )
            assert out.stat().st_mode & 0o777 == 0o644
        out = tmp_path / "d.json"
        out.chmod(0o664)  # a file that is replaced keeps its permissions
        assert (
            main(["-C", str(project), "diff", "_63", "_83", "--format", "json", "-o", str(out)])
            == 0
        )
        assert out.stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(old)
    text = (tmp_path / "d.json").read_text("utf-8")
    assert "\\u" not in text and "第3回有識者会議" in text  # Japanese as UTF-8, not \uXXXX
    json.loads(text)


def test_release_that_stops_does_not_say_done(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = project / "source" / "3" / "3-1-1.md"
    page.write_text(page.read_text("utf-8") + "\n記録のない追加の文です。\n", "utf-8")
    assert main(["-C", str(project), "release", "_84", "--summary", "s"]) == 1
    err = capsys.readouterr().err
    assert "hoshin release: stopped at step 'check' (exit 1)" in err
    assert "[release] 0/4 stopped at check" in err
    assert "[release] 0/4 done" not in err and " done (" not in err.split("[release]")[-1]
    assert load_revisions(project).ids == ["_62", "_63", "_83"]  # nothing was frozen


def _fake_mermaid_cli(root: Path) -> None:
    cli = root / "node_modules" / "@mermaid-js" / "mermaid-cli"
    (cli / "src").mkdir(parents=True)
    (cli / "package.json").write_text('{"version": "11.17.0"}', "utf-8")
    (cli / "src" / "cli.js").write_text("// fake", "utf-8")
    (root / "node_modules" / ".bin").mkdir()
    (root / "node_modules" / ".bin" / "mmdc").symlink_to(cli / "src" / "cli.js")


def test_installed_tools_are_no_reason_to_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installing mermaid-cli changes nothing for a project whose diagrams are drawn (or that
    has none): only a diagram left undrawn for want of it makes the next build run."""
    from hoshin.core.nodetools import CACHE_ENV
    from hoshin.core.undrawn import UNDRAWN_FILE

    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no mmdc on PATH
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "no-setup-yet"))  # nor from hoshin setup
    root = tmp_path / "p"
    root.mkdir()
    (root / "conf.py").write_text('project = "t"\n', "utf-8")
    assert not undrawn_diagrams_drawable(Project(root))
    _fake_mermaid_cli(root)  # tools appear: still nothing on record, nothing to do
    assert not undrawn_diagrams_drawable(Project(root))
    record = Project(root).cache / "doctrees" / UNDRAWN_FILE
    record.parent.mkdir(parents=True)
    record.write_text("# mmdc missing\nchapter\n", "utf-8")
    assert undrawn_diagrams_drawable(Project(root)) == Path("/usr/bin/chromium").exists()
    shutil.rmtree(root / "node_modules")
    assert not undrawn_diagrams_drawable(Project(root))


@pytest.mark.slow
def test_a_diagram_undrawn_without_mermaid_cli_is_drawn_once_it_appears(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hoshin.core.nodetools import CACHE_ENV

    if not (REPO / "node_modules" / ".bin" / "mmdc").exists():
        pytest.fail("mermaid-cli is not installed: run make setup")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "no-setup-yet"))
    root = tmp_path / "mini"
    shutil.copytree(REPO / "tests" / "roots" / "test-mini", root)
    index = root / "source" / "index.md"
    index.write_text(index.read_text("utf-8").replace("chapter\n", "chapter\nzu\n"), "utf-8")
    (root / "source" / "zu.md").write_text(
        "# 図の章\n\n```{mermaid}\n:caption: 流れ\nflowchart LR\n  A[受付] --> B[審査]\n```\n",
        "utf-8",
    )
    doctrees = root / "_build" / ".cache" / "doctrees" / "current"
    assert main(["-C", str(root), "build"]) == 0
    assert "<svg" not in (root / "_build/html/zu.html").read_text("utf-8")
    assert main(["-C", str(root), "build"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    chapter_read = (doctrees / "chapter.doctree").stat().st_mtime_ns
    (root / "node_modules").symlink_to(REPO / "node_modules")
    assert main(["-C", str(root), "build"]) == 0
    assert "nothing changed" not in capsys.readouterr().out
    assert "<svg" in (root / "_build/html/zu.html").read_text("utf-8")
    assert (doctrees / "chapter.doctree").stat().st_mtime_ns == chapter_read  # not re-read
    assert main(["-C", str(root), "build"]) == 0
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.parametrize("text", ["資料のP26を参照", "P.26 と pp.12-13 を参照", "ｐ７に戻る"])
def test_page_references_are_not_acronyms(text: str) -> None:
    assert [c.word for c in find_candidates(text)] == []


def test_acronyms_next_to_page_references_are_still_found() -> None:
    assert [c.word for c in find_candidates("P26のDXと5G、P2P")] == ["DX", "5G", "P2P"]


AUX = r"""\relax
\newlabel{index::doc}{{}{1}{}{section*.1}{}}
\newlabel{3/3-1-1:sec-3-1-1}{{3.1.1}{17}{基本方針①}{subsection.3.1.1}{}}
\newlabel{3/3-1-2:sec-3-1-2}{{3.1.2}{18}{基本方針②}{subsection.3.1.2}{}}
\newlabel{3/3-1-2:sec-3-1-2}{{3.1.2}{19}{again}{subsection.3.1.2}{}}
"""


def test_pages_of_sections_from_the_latex_aux() -> None:
    assert section_pages(AUX) == {"doc": 1, "sec-3-1-1": 17, "sec-3-1-2": 18}


def test_a_record_without_page_shows_where_its_section_starts_in_the_pdf(project: Path) -> None:
    changes = project / "revisions" / "_83" / "changes.yaml"
    text = changes.read_text("utf-8").replace("    page: 17\n", "", 1)
    changes.write_text(text, "utf-8")
    data = load_revisions(project)
    assert not data.errors
    record = next(r for r in data.records_for("_83") if r.no == 2)
    assert record.page is None and record.page_display == ""
    state = RevisionState(project, "current", project / "source")
    assert state.record_page(record) == ""  # no PDF built yet: nothing shown
    latex = Project(project).cache / "pdf" / "_83" / "latex"
    latex.mkdir(parents=True)
    (latex / "policy.aux").write_text(AUX, "utf-8")
    state = RevisionState(project, "current", project / "source")
    assert state.record_page(record) == "P17"
    other = next(r for r in data.records_for("_83") if r.no == 3)
    assert state.record_page(other) == "P18"  # a page the record gives wins
