"""A frozen version built while mermaid-cli was missing shows its diagrams as text; once the
tools are found, the next build draws them in the frozen version's pages and PDF too, not
only in the working draft's (issue 16 item 9). Installed tools stay out of the cache keys:
only what was built without them is built again."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.undrawn import left_undrawn, record_path, record_undrawn, undrawn_records

from .conftest import REPO
from .incremental_support import FLOW


def test_records_are_kept_per_drawing_format(tmp_path: Path) -> None:
    """The web and PDF builds of a version share a doctree folder: drawing the web pages
    must not forget that the PDF still shows text."""
    doctrees = tmp_path / "versions" / "v1" / "doctrees"
    record_undrawn(doctrees, ["1/1-1"], "mmdc missing", "svg")
    record_undrawn(doctrees, ["1/1-1"], "mmdc missing", "pdf")
    assert left_undrawn(doctrees, "svg") and left_undrawn(doctrees, "pdf")
    record_undrawn(doctrees, [], "", "svg")  # the web pages are drawn now
    assert not left_undrawn(doctrees, "svg") and left_undrawn(doctrees, "pdf")
    assert undrawn_records(tmp_path) == [record_path(doctrees, "pdf")]
    record_undrawn(doctrees, [], "", "pdf")
    assert undrawn_records(tmp_path) == []


def _hoshin(*args: str) -> tuple[int, str]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        code = main(list(args))
    return code, buffer.getvalue()


def _settles(root: Path) -> bool:
    """A build soon says "nothing changed": the second after a PDF build may still run (the
    PDFs' page numbers reach the pages), and a third when hoshin's own code was edited
    meanwhile (it keys the PDFs), as happens while developers work in the same tree."""
    for _ in range(3):
        code, said = _hoshin("-C", str(root), "build", "--pdf")
        assert code == 0, said
        if "nothing changed" in said:
            return True
    return False


@pytest.mark.slow
def test_frozen_versions_are_drawn_once_mermaid_cli_appears(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hoshin.core.nodetools import CACHE_ENV

    if not (REPO / "node_modules" / ".bin" / "mmdc").exists():
        pytest.fail("mermaid-cli is not installed: run make setup")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no mmdc on PATH
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "no-setup-yet"))  # nor from hoshin setup
    root = tmp_path / "town"
    code, said = _hoshin("init", str(root), "--title", "町の方針", "--issuer", "町")
    assert code == 0, said
    (root / "source" / "flows").mkdir()
    (root / "source" / "flows" / "f.yaml").write_text(FLOW, encoding="utf-8")
    page = root / "source" / "1" / "1-1.md"
    page.write_text(page.read_text("utf-8") + "\n```{flow} ../flows/f.yaml\n```\n", "utf-8")
    code, said = _hoshin("-C", str(root), "freeze", "v1", "--event", "第1回会議",
                         "--date", "2021-04-01", "--summary", "最初の版です。")  # fmt: skip
    assert code == 0, said
    frozen_page = root / "_build" / "html" / "versions" / "v1" / "1" / "1-1.html"
    draft_page = root / "_build" / "html" / "1" / "1-1.html"

    def drawn_in_pdf(version: str) -> bool:
        latex = root / "_build" / ".cache" / "pdf" / version / "latex"
        return "\\includegraphics" in "".join(p.read_text("utf-8") for p in latex.glob("*.tex"))

    code, said = _hoshin("-C", str(root), "build", "--pdf")
    assert code == 0, said
    assert "hoshin-flow-svg" not in frozen_page.read_text("utf-8") and not drawn_in_pdf("v1")
    assert "hoshin-flow-svg" not in draft_page.read_text("utf-8") and not drawn_in_pdf("current")
    assert _settles(root)  # still no tools: nothing to do

    (root / "node_modules").symlink_to(REPO / "node_modules")
    code, said = _hoshin("-C", str(root), "build", "--pdf")
    assert code == 0, said
    assert "hoshin-flow-svg" in draft_page.read_text("utf-8")
    assert "hoshin-flow-svg" in frozen_page.read_text("utf-8"), "the frozen version kept its text"
    assert drawn_in_pdf("v1"), "the frozen version's PDF kept its text"
    assert drawn_in_pdf("current"), "the draft's PDF kept its text"
    assert undrawn_records(root / "_build" / ".cache") == []
    assert _settles(root)
