"""PDF editions: LaTeX text helpers, document structure, and one shared build of every PDF.

The slow tests build every PDF of a copy of the embedded edition once per session (each
version and each 新旧対照表), with LaTeX-special characters planted in its YAML, and read
the PDFs back with poppler's tools.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest

from hoshin.core.history import ChangeRecord
from hoshin.core.latextext import breakable, escape, underline
from hoshin.core.mystdoc import read_document
from hoshin.pdf.tables import share_line
from hoshin.revisions.compare import Comparison
from hoshin.revisions.diff import diff_documents
from hoshin.revisions.pdfbuild import build_project_pdfs, plan, uplatex_to_pdf
from hoshin.revisions.render import shinkyu_rows
from hoshin.revisions.shinkyu_pdf import ShinkyuHeading, render_shinkyu_latex

from .latex_support import sphinx_latex
from .pagefill import nearly_empty_pages, page_fills

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "_build" / "test-artifacts"
SPECIALS = r"100% & #1 \input{/etc/passwd} _x_ {y} ~z ^w $v"
PLANTED_REASON = f"予算の都合 {SPECIALS}"
PLANTED_EDITION = f"VER.01 {SPECIALS}"
PLANTED_SENTENCE = "この文はテストのために加えた新しい文です。"

# ---------------------------------------------------------------------------------------
# pure helpers
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("char", list("%&\\{}#_$^~[]<>|\"'`"))
def test_escape_leaves_no_active_character(char: str) -> None:
    out = escape(f"a{char}b")
    stripped = re.sub(r"\\[A-Za-z]+\{\}|\\[%&{}#_$]|\{\[\}|\{\]\}|-\{\}", "", out)
    assert not set(stripped) & set("%&\\{}#_$^~[]")


def test_escape_keeps_japanese_and_drops_controls() -> None:
    assert escape("情報化\x00推進\n基本方針") == "情報化推進 基本方針"
    assert escape("--") == "-{}-{}"


def test_underline_breaks_between_kanji_but_not_before_closing_punctuation() -> None:
    out = underline("分類。した")
    assert out.count(r"\hoshinul{") == 5
    assert r"\hoshinulnobreak" in out  # 類|。
    assert r"\hoshinulglue" in out  # 分|類, 。|し, し|た
    assert not breakable("類", "。") and not breakable("「", "市") and breakable("市", "民")


def test_underline_keeps_ascii_words_whole_and_double_marks_moves() -> None:
    out = underline("COVID-19に")
    assert r"\hoshinul{COVID-{}19}" in out
    assert r"\hoshinuu{" in underline("移動", double=True)


def test_share_line_keeps_narrow_columns_and_shares_the_rest() -> None:
    assert share_line([20, 20], 82) == [20, 20]
    weights = share_line([35, 20, 14, 15, 14], 82)
    assert weights[2:] == [14, 15, 14] and weights[0] > weights[1]
    assert sum(share_line([200, 150, 120, 90], 82)) == pytest.approx(82, abs=2)


def _comparison(tmp_path: Path) -> Comparison:
    old = tmp_path / "old"
    shutil.copytree(REPO / "source", old)
    page = old / "1" / "1-1.md"
    page.write_text(page.read_text(encoding="utf-8").replace("強力に", ""), encoding="utf-8")
    changes = diff_documents(read_document(old), read_document(REPO / "source"))
    return Comparison("old", "new", changes, reasons={0: [PLANTED_REASON]})


def test_shinkyu_latex_column_order_escaping_and_underlines(tmp_path: Path) -> None:
    cmp = _comparison(tmp_path)
    heading = ShinkyuHeading("題名 & 100%", "上越市", "_1", "_2")
    tex = render_shinkyu_latex(cmp, heading, ("new", "old"))
    table = tex.split(r"\begin{longtable}")[1]
    assert table.index("改版後") < table.index("改版前")
    assert r"題名 \& 100\%" in tex and r"\input{" not in tex.split(r"\begin{document}")[1]
    assert underline("強力に") in tex
    default = render_shinkyu_latex(cmp, heading)
    body = default.split(r"\endlastfoot")[1]
    row = body.split(r"\\ \hline")[0]
    assert row.index("（変更）") < row.index(r"\hoshinul{強}")


# ---------------------------------------------------------------------------------------
# document structure (Sphinx's LaTeX writer only, no TeX run)
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def structure_tex(tmp_path_factory: pytest.TempPathFactory) -> str:
    src = tmp_path_factory.mktemp("pdf-structure")
    (src / "conf.py").write_text(
        'project = "構成テスト方針"\nauthor = "テスト市"\nlanguage = "ja"\n'
        'extensions = ["hoshin"]\nhoshin_project_slug = "structure"\n'
        'hoshin_issuer = "テスト県テスト市"\n',
        encoding="utf-8",
    )
    (src / "index.md").write_text(
        "# 構成テスト方針\n\n```{toctree}\n:caption: 目次\n\nbody\nglossary\ncolophon\n```\n\n"
        "```{toctree}\n:caption: 有識者会議資料\n\nmeeting\n```\n",
        encoding="utf-8",
    )
    rows = "".join(f"* - 項目{i}\n  - {'長い説明文です。' * 12}\n" for i in range(40))
    (src / "body.md").write_text(
        f"# 1.本文\n\n{{term}}`用語A`を使います。\n\n```{{list-table}} 表\n:header-rows: 1\n\n"
        f"* - 見出し\n  - 説明\n{rows}```\n",
        encoding="utf-8",
    )
    (src / "glossary.md").write_text(
        "# 用語集\n\n```{glossary}\n用語A\n  説明です。\n```\n", encoding="utf-8"
    )
    (src / "colophon.md").write_text("# 奥付\n\n発行 テスト市\n", encoding="utf-8")
    (src / "meeting.md").write_text("# 会議資料\n\n資料です。\n", encoding="utf-8")
    out = sphinx_latex(src, warnings=True)
    return (out / "structure.tex").read_text(encoding="utf-8")


def test_structure_glossary_appendix_part_and_colophon_last(structure_tex: str) -> None:
    body = structure_tex.split(r"\begin{document}")[1]
    order = [
        body.index(r"\chapter{1.本文}"),
        body.index(r"\appendix"),
        body.index(r"\chapter{用語集}"),
        body.index(r"\hoshinpart{有識者会議資料}"),
        body.index(r"\chapter{会議資料}"),
        body.index(r"\hoshinbackmatter"),
        body.index(r"\chapter{奥付}"),
    ]
    assert order == sorted(order)
    assert r"\hoshinmaketitle" in body and r"\printindex" not in body


def test_frozen_version_tex_carries_its_digest_and_the_draft_none(tmp_path: Path) -> None:
    """The digest printed on a frozen version's PDF is the SHA-256 of its manifest."""
    from hoshin.core.frozen import FreezeRequest, freeze
    from hoshin.core.manifest import manifest_digest
    from hoshin.core.sitebuild import run_sphinx

    root = tmp_path / "p"
    (root / "source").mkdir(parents=True)
    (root / "revisions").mkdir()
    (root / "conf.py").write_text('project = "試し"\nauthor = "試し市"\nlanguage = "ja"\n'
                                  'extensions = ["hoshin"]\nhoshin_project_slug = "t"\n', "utf-8")  # fmt: skip
    (root / "source" / "index.md").write_text("# 試し\n\n本文です。\n", "utf-8")
    (root / "revisions" / "history.yaml").write_text("versions:\n", "utf-8")
    freeze(root, FreezeRequest("v1", "最初の素案"))
    digest = manifest_digest(root / "revisions" / "v1")
    for job in plan(root, tmp_path / "cache").versions:
        run_sphinx(confdir=root, srcdir=job.srcdir, outdir=tmp_path / job.version_id,
                   doctreedir=tmp_path / "doctrees" / job.version_id, builder="latex",
                   overrides=job.overrides, what="test")  # fmt: skip
        tex = (tmp_path / job.version_id / "t.tex").read_text("utf-8")
        expected = digest if job.version_id == "v1" else ""
        assert f"\\newcommand{{\\hoshindigest}}{{{expected}}}\n" in tex, job.version_id


def test_structure_preamble_cover_fonts_and_tables(structure_tex: str) -> None:
    preamble = structure_tex.split(r"\begin{document}")[0]
    assert r"\newcommand{\hoshinissuer}{テスト県テスト市}" in preamble
    assert r"\newcommand{\hoshinstatus}{素案}" in preamble
    assert r"\usepackage{hoshin}" in preamble and "a4paper" in preamble
    assert r"\begin{longtable}" in structure_tex
    assert r"\sphinxtermref" in structure_tex or r"\hyperref[" in structure_tex


# ---------------------------------------------------------------------------------------
# every PDF of the embedded edition, built once
# ---------------------------------------------------------------------------------------


def _plant(project: Path) -> None:
    """LaTeX specials in YAML (an edition, a reason) and one edit of the working draft."""
    history = project / "revisions" / "history.yaml"
    text = history.read_text(encoding="utf-8")
    history.write_text(text.replace("edition: VER.01", f"edition: '{PLANTED_EDITION}'"),
                       encoding="utf-8")  # fmt: skip
    page = project / "source" / "1" / "1-6.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{PLANTED_SENTENCE}\n", encoding="utf-8")
    current = project / "revisions" / "current"
    current.mkdir(parents=True, exist_ok=True)
    (current / "changes.yaml").write_text(
        "changes:\n  - number: 900\n    from: _83\n    motive: テスト\n    page: 9\n"
        f"    sections: [sec-1-6]\n    old: null\n    new: null\n    quote: none\n"
        f"    reason: '{PLANTED_REASON}'\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not shutil.which("uplatex"):
        pytest.skip("TeX Live is not installed")
    project = tmp_path_factory.mktemp("pdf-project")
    for name in ("conf.py",):
        shutil.copy(REPO / name, project / name)
    for name in ("source", "revisions", "glossary"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, project / name)
    if (REPO / "node_modules").is_dir():  # mermaid-cli for the diagrams
        (project / "node_modules").symlink_to(REPO / "node_modules")
    mermaid = REPO / "_build" / ".cache" / "mermaid"
    if mermaid.is_dir():  # diagrams already rendered by chromium: reuse them
        shutil.copytree(mermaid, project / "_build" / ".cache" / "mermaid")
    _plant(project)
    out = project / "_build" / "pdf"
    results = build_project_pdfs(project, out, project / "_build" / ".cache", jobs=2)
    built = {r.filename: r.path for r in results}
    built["_project"] = project
    return built


def _pdftext(path: Path) -> str:
    """The text in content-stream order (``-raw``): a table cell's lines stay together."""
    proc = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return _squash(proc.stdout)


def _squash(text: str) -> str:
    """Compare text without layout: NFKC, no whitespace, no hyphens TeX adds at line ends."""
    return re.sub(r"[\s\-‐]+", "", unicodedata.normalize("NFKC", text))


def _sample_sentences(srcdir: Path) -> list[str]:
    sentences = []
    for page in sorted(srcdir.rglob("*.md"))[::3]:
        for line in page.read_text(encoding="utf-8").splitlines():
            line = line.strip().lstrip("-* ").strip()
            if (
                20 <= len(line) <= 120
                and line.endswith("。")
                and not re.search(r"[{}`<>|*\[]", line)
            ):
                sentences.append(line)
                break
    return sentences


def _headings(srcdir: Path) -> list[str]:
    found = []
    for page in sorted(srcdir.rglob("*.md")):
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                found.append(line[2:].strip())
                break
    return found


@pytest.mark.slow
def test_every_version_and_pair_has_a_pdf(pdfs: dict[str, Path]) -> None:
    project = pdfs["_project"]
    the_plan = plan(project, project / "_build" / ".cache")
    expected = {j.filename for j in the_plan.versions} | {p[2] for p in the_plan.pairs}
    assert "joetsu-ict-current.pdf" in expected and len(the_plan.pairs) >= 1
    assert expected <= set(pdfs)
    for name in expected:
        assert pdfs[name].read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_version_pdfs_hold_their_headings_and_sentences(pdfs: dict[str, Path]) -> None:
    project = pdfs["_project"]
    for job in plan(project, project / "_build" / ".cache").versions:
        text = _pdftext(pdfs[job.filename])
        missing = [h for h in _headings(job.srcdir) if _squash(h) not in text]
        assert not missing, f"{job.filename}: headings missing {missing[:5]}"
        sentences = _sample_sentences(job.srcdir)
        assert len(sentences) >= 5
        missing = [s for s in sentences if _squash(s) not in text]
        assert not missing, f"{job.filename}: sentences missing {missing[:3]}"
    assert _squash(PLANTED_SENTENCE) in _pdftext(pdfs["joetsu-ict-current.pdf"])
    assert _squash(PLANTED_SENTENCE) not in _pdftext(pdfs["joetsu-ict-_83.pdf"])


@pytest.mark.slow
def test_cover_metadata_and_yaml_specials(pdfs: dict[str, Path]) -> None:
    cover = subprocess.run(["pdftotext", "-l", "1", str(pdfs["joetsu-ict-_83.pdf"]), "-"],
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert _squash(PLANTED_EDITION) in _squash(cover)
    assert all(_squash(w) in _squash(cover) for w in ("素案", "新潟県上越市", "令和XX年XX月"))
    info = subprocess.run(["pdfinfo", str(pdfs["joetsu-ict-_83.pdf"])], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert re.search(r"^Title:\s+上越市ICTによる情報化推進基本方針$", info, re.M)
    assert re.search(r"^Author:\s+新潟県上越市$", info, re.M)
    assert b"/Lang(ja)" in _inflated(pdfs["joetsu-ict-_83.pdf"])


def _inflated(path: Path) -> bytes:
    data = path.read_bytes()
    parts = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        try:
            parts.append(zlib.decompress(data[m.end() : end]))
        except zlib.error:
            continue
    return b"".join(parts)


@pytest.mark.slow
def test_every_font_is_embedded(pdfs: dict[str, Path]) -> None:
    for name, path in pdfs.items():
        if not name.endswith(".pdf"):
            continue
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]  # fmt: skip
        assert rows, name
        for row in rows:
            emb = row[-25:].split()[0] if len(row.split()) >= 7 else ""
            assert emb == "yes", f"{name}: not embedded: {row}"
        assert any("HaranoAji" in r for r in rows), name


@pytest.mark.slow
def test_shinkyu_pdf_holds_the_changed_passages(pdfs: dict[str, Path]) -> None:
    from hoshin.core.history import load_revisions
    from hoshin.revisions.compare import compare

    project = pdfs["_project"]
    data = load_revisions(project, check_labels=False)
    for old, new in (("_63", "_83"), ("_83", "current")):
        cmp = compare(read_document(data.source_dir(old)), read_document(data.source_dir(new)),
                      data.records_between(old, new), old_id=old, new_id=new)  # fmt: skip
        text = _pdftext(pdfs[f"joetsu-ict-shinkyu-{old}-{new}.pdf"])
        assert _squash("傍線（下線）を付した部分が改版による変更箇所です。") in text
        changed = [
            seg.text
            for row in shinkyu_rows(cmp)
            for cell in row.cells
            for seg in cell.segments
            if seg.mark in ("ins", "del") and len(seg.text.strip()) >= 4
        ]
        assert changed, (old, new)
        missing = [c for c in changed if _squash(c) not in text]
        assert not missing, f"{old}-{new}: {missing[:3]}"
    current = _pdftext(pdfs["joetsu-ict-shinkyu-_83-current.pdf"])
    assert _squash(PLANTED_SENTENCE) in current
    assert _squash(PLANTED_REASON) in current


def _record_pieces(record: ChangeRecord) -> list[str]:
    """What a reader must find of a change record: each field, quotations sentence by sentence
    (a long paragraph may continue on the next table row)."""
    from hoshin.core.recordtext import paragraphs

    pieces = [record.motive, record.reason_display]
    for text in (record.old, record.new):
        for para in paragraphs(text):
            pieces += re.findall(r"[^。]+。?", para)
    return [p for p in pieces if p.strip()]


@pytest.mark.slow
def test_every_change_record_is_whole_in_every_version_pdf(pdfs: dict[str, Path]) -> None:
    from hoshin.core.history import CURRENT, load_revisions

    project = pdfs["_project"]
    data = load_revisions(project, check_labels=False)
    chain = [*data.ids, CURRENT]
    for job in plan(project, project / "_build" / ".cache").versions:
        shown = chain[: chain.index(job.version_id) + 1]
        records = [r for vid in shown for r in data.records_for(vid)]
        text = _pdftext(pdfs[job.filename])
        assert "<p>" not in text, job.filename
        for record in records:
            missing = [p for p in _record_pieces(record) if _squash(p) not in text]
            assert not missing, f"{job.filename}: No.{record.no} lacks {missing[:2]}"
    # Every 新旧対照表 PDF names every record of its pair: beside its change, or after the
    # table with its wording and why no row shows it (No.5 and No.13 of _63 → _83).
    for old, new in data.pairs():
        text = _pdftext(pdfs[f"joetsu-ict-shinkyu-{old}-{new}.pdf"])
        for record in data.records_between(old, new):
            wanted = [f"No.{record.no}", record.reason_display]
            missing = [p for p in wanted if _squash(p) not in text]
            assert not missing, f"{old}-{new}: No.{record.no} lacks {missing}"
    text = _pdftext(pdfs["joetsu-ict-shinkyu-_63-_83.pdf"])
    assert _squash("本文の差分に現れない改版記録") in text
    assert text.count(_squash("改版前の文言が記録されていないため")) == 2  # No.5, No.13


@pytest.mark.slow
def test_print_layout_one_history_numbered_tables_and_appendix_names(
    pdfs: dict[str, Path],
) -> None:
    raw = subprocess.run(["pdftotext", "-raw", str(pdfs["joetsu-ict-current.pdf"]), "-"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    captions = re.findall(r"^表 (\d+): (.+)$", raw, re.M)
    numbers = [n for n, _ in captions]
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)], captions  # each once
    assert [t for _, t in captions].count("改版履歴") == 1  # not also on the cover page
    assert "付録 A" in raw and "付 録" not in raw


@pytest.mark.slow
def test_no_page_of_the_draft_is_left_nearly_empty(pdfs: dict[str, Path]) -> None:
    """Chapter 4's tall diagrams once left pages of two or three lines before them."""
    latex = pdfs["_project"] / "_build" / ".cache" / "pdf" / "current" / "latex"
    fills = page_fills(pdfs["joetsu-ict-current.pdf"], latex / "joetsu-ict.log")
    assert nearly_empty_pages(fills) == [], [f"{p.number}: {p.fill:.0%}" for p in fills]


@pytest.mark.slow
def test_page_one_renders(pdfs: dict[str, Path]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in ("joetsu-ict-current.pdf", "joetsu-ict-shinkyu-_63-_83.pdf"):
        prefix = ARTIFACTS / Path(name).stem
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        str(pdfs[name]), str(prefix)], check=True)  # fmt: skip
        png = prefix.with_suffix(".png")
        assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 2000


@pytest.mark.slow
def test_warm_rebuild_runs_neither_sphinx_nor_latex(pdfs: dict[str, Path]) -> None:
    project = pdfs["_project"]
    out, cache = project / "_build" / "pdf", project / "_build" / ".cache"
    # The first call catches up with any edit of hoshin itself made while the suite ran
    # (helpers edit the package concurrently); with nothing changed, nothing runs.
    build_project_pdfs(project, out, cache)
    results = build_project_pdfs(project, out, cache)
    assert [r.filename for r in results if r.ran_sphinx or r.ran_latex] == []
    assert len(results) == len(list(out.glob("*.pdf")))


@pytest.mark.slow
def test_typesetting_is_reproducible(pdfs: dict[str, Path], tmp_path: Path) -> None:
    work = pdfs["_project"] / "_build" / ".cache" / "pdf" / "shinkyu-_63-_83" / "latex"
    copy = tmp_path / "again"
    shutil.copytree(work, copy)
    for junk in copy.glob("shinkyu.*"):
        if junk.suffix != ".tex":
            junk.unlink()
    again = uplatex_to_pdf(copy, "shinkyu.tex", "reproducibility check")
    assert again.read_bytes() == pdfs["joetsu-ict-shinkyu-_63-_83.pdf"].read_bytes()


# ---------------------------------------------------------------------------------------
# the build stage around the PDFs
# ---------------------------------------------------------------------------------------


def test_pdf_stage_without_tex_names_the_packages(monkeypatch, capsys) -> None:
    from hoshin.cli.commands.pdfstage import run_pdf_stage
    from hoshin.core.project import Project
    from hoshin.revisions import pdfbuild

    monkeypatch.setattr(pdfbuild.shutil, "which", lambda name: None)
    assert run_pdf_stage(Project.find(REPO)) == 2
    assert "texlive-lang-japanese" in capsys.readouterr().err


def test_publish_to_site_mirrors_pdfs(tmp_path: Path) -> None:
    from hoshin.revisions.pdfbuild import publish_to_site

    pdfdir, site = tmp_path / "pdf", tmp_path / "html" / "pdf"
    pdfdir.mkdir()
    site.mkdir(parents=True)
    (pdfdir / "a.pdf").write_bytes(b"%PDF-new")
    (site / "a.pdf").write_bytes(b"%PDF-old")
    (site / "gone.pdf").write_bytes(b"%PDF-stale")
    publish_to_site(pdfdir, site)
    assert sorted(p.name for p in site.iterdir()) == ["a.pdf"]
    assert (site / "a.pdf").read_bytes() == b"%PDF-new"


@pytest.mark.slow
def test_public_pdfs_show_residents_only_what_is_written_for_them(pdfs: dict[str, Path]) -> None:
    """The public edition's PDFs: no editors' check output, no web-only help, no 審議用 mark."""
    from hoshin.core.manifest import manifest_digest

    from .test_editions import LEAKS

    project = pdfs["_project"]
    for name, path in pdfs.items():
        if not name.endswith(".pdf"):
            continue
        proc = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, text=True, check=True)  # fmt: skip
        text = unicodedata.normalize("NFKC", proc.stdout)
        # The one hash a public PDF carries on purpose: a frozen version's identity (the
        # SHA-256 of its manifest), at the foot of its last page, to compare copies later.
        version = re.fullmatch(r"joetsu-ict-(_\d+)\.pdf", name)
        if version:
            digest = manifest_digest(project / "revisions" / version[1])
            line = re.compile(rf"版の識別値\(SHA-256\)\s+{digest}\s")
            assert len(line.findall(text)) == 1, name
            text = line.sub("", text)
        else:
            assert "版の識別値" not in text, name
        for kind, pattern in LEAKS.items():
            assert not pattern.search(text), (name, kind, pattern.search(text))
        squashed = _squash(proc.stdout)
        assert "マウス" not in squashed and "画面を軽く押す" not in squashed, name
        assert "審議用" not in squashed, name
