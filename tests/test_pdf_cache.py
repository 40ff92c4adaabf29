"""A PDF build cut short (kill -9 while upLaTeX writes) never breaks a later build.

LaTeX reads back the ``.aux``, ``.toc`` and ``.out`` files of its last run: cut in half,
they made every later ``build --pdf`` (``--force`` too) fail with ``Missing
\\begin{document}``. Each test builds the small ``test-mini`` root (about 2 s of LaTeX),
damages the cache as a killed run would, and builds again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.revisions.pdfbuild import VersionPdf, build_version_pdf, latex_state_digest

from .conftest import REPO

pytestmark = pytest.mark.skipif(
    shutil.which("uplatex") is None, reason="TeX is installed by make setup"
)


@pytest.fixture
def mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1622505600")
    shutil.copytree(REPO / "tests" / "roots" / "test-mini", tmp_path / "proj")
    return tmp_path


def _build(work: Path) -> tuple[bool, Path]:
    root = work / "proj"
    job = VersionPdf("current", root / "source", work / "doctrees", "mini.pdf")
    result = build_version_pdf(job, confdir=root, cachedir=work / "cache", outdir=work / "out")
    return result.ran_latex, result.path


def _text(pdf: Path) -> str:
    proc = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return "".join(proc.stdout.split())


def _cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])


def _edit(work: Path, sentence: str) -> None:
    chapter = work / "proj" / "source" / "chapter.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def _latexdir(work: Path) -> Path:
    return work / "cache" / "current" / "latex"


def test_files_of_a_latex_run_cut_short_are_not_read_back(mini: Path) -> None:
    _build(mini)
    _edit(mini, "途中で止めた組版のあとの文です。")
    for name in ("mini.aux", "mini.toc", "mini.out"):
        _cut(_latexdir(mini) / name)
    ran_latex, pdf = _build(mini)
    assert ran_latex and "途中で止めた組版のあとの文です。" in _text(pdf)


def test_a_failed_latex_run_is_retried_once_from_a_clean_folder(mini: Path) -> None:
    """Damage the validation cannot see (the stamp vouches for the cut files): the failing
    run is followed by one from a clean folder."""
    _build(mini)
    _edit(mini, "再試行のあとの文です。")
    aux = _latexdir(mini) / "mini.aux"
    aux.write_text("\\relax\n\\@writefile{toc}{\\contentsline {chapter}{", encoding="utf-8")
    stamp = mini / "cache" / "current" / "stamp.json"
    data = json.loads(stamp.read_text(encoding="utf-8"))
    data["aux"] = latex_state_digest(_latexdir(mini))
    stamp.write_text(json.dumps(data), encoding="utf-8")
    ran_latex, pdf = _build(mini)
    assert ran_latex and "再試行のあとの文です。" in _text(pdf)


def test_a_cached_pdf_cut_short_is_typeset_again(mini: Path) -> None:
    _build(mini)
    cached = mini / "cache" / "current" / "output.pdf"
    _cut(cached)
    (mini / "out" / "mini.pdf").unlink()
    ran_latex, pdf = _build(mini)
    assert ran_latex and pdf.read_bytes().rstrip().endswith(b"%%EOF")
    assert cached.read_bytes() == pdf.read_bytes()


def test_build_force_starts_the_pdfs_from_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1622505600"}
    project = tmp_path / "p"
    assert main(["init", str(project), "--title", "町の方針", "--issuer", "町"]) == 0
    hoshin = [str(Path(sys.executable).parent / "hoshin"), "-C", str(project)]

    def build(*options: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*hoshin, "build", "--pdf", *options], env=env,
                              capture_output=True, text=True)  # fmt: skip

    assert build().returncode == 0
    latexdir = project / "_build" / ".cache" / "pdf" / "current" / "latex"
    stamp = latexdir.parent / "stamp.json"
    # What a killed run can leave: a cut .aux and a stamp that no longer matches the PDF.
    for aux in latexdir.glob("*.aux"):
        _cut(aux)
    data = json.loads(stamp.read_text(encoding="utf-8"))
    data["aux"] = latex_state_digest(latexdir)
    stamp.write_text(json.dumps(data), encoding="utf-8")
    (latexdir / "left-by-a-killed-run.tmp").write_text("x", encoding="utf-8")
    forced = build("--force")
    assert forced.returncode == 0, forced.stderr[-3000:]
    assert "1 typeset" in forced.stdout  # nothing taken from the cache
    assert not (latexdir / "left-by-a-killed-run.tmp").exists()
    assert (project / "_build" / "pdf").glob("*.pdf")
