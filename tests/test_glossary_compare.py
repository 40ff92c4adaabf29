"""Glossary changes in comparisons: one rule for every pair and every format.

The glossary is part of what residents read, so every 新旧対照表 (site page, PDF, Word) and
every ``hoshin diff`` format shows its changes in a section of its own; a text without
changes says so for the text only (「本文の変更はありません」) and the glossary section follows.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.frozen import FreezeRequest, freeze
from hoshin.core.glossarydiff import compare_glossaries

ENTRY = """\
- term: {term}
  reading: {reading}
  id: {id}
  definition: {definition}
  kind: 略語
  treatment: 説明を付ける
  source: 一般的な用法
"""
ICT = {"term": "ICT", "reading": "あいしーてぃー", "id": "ict",
       "definition": "情報通信技術のことです。"}  # fmt: skip
RPA = {"term": "RPA", "reading": "あーるぴーえー", "id": "rpa",
       "definition": "定型の操作を自動で行う仕組みです。"}  # fmt: skip
DX = {"term": "DX", "reading": "でぃーえっくす", "id": "dx",
      "definition": "デジタル技術で仕組みを変えることです。"}  # fmt: skip


def _glossary(folder: Path, *entries: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.yaml").write_text("".join(ENTRY.format(**e) for e in entries), "utf-8")
    return folder


def test_added_removed_and_changed_entries_with_underlined_parts(tmp_path: Path) -> None:
    old = _glossary(tmp_path / "old", ICT, RPA)
    changed = dict(ICT, definition="情報通信技術（ICT）のことです。")
    new = _glossary(tmp_path / "new", changed, DX)
    result = compare_glossaries(old, new)
    assert [(c.kind, c.term) for c in result.changes] == [
        ("changed", "ICT"), ("added", "DX"), ("removed", "RPA")]  # fmt: skip  # removed last
    ict = result.changes[0]
    assert ("（ICT）", "ins") in ict.segments("new")
    assert all(mark == "" for _, mark in ict.segments("old"))  # nothing was deleted
    assert result.summary() == "用語集の項目の追加・削除・変更は次の 3 件です。"


def test_a_glossary_created_is_one_line_not_every_entry(tmp_path: Path) -> None:
    result = compare_glossaries(tmp_path / "none", _glossary(tmp_path / "new", ICT, RPA))
    assert result.created == 2 and not result.changes
    assert "新設されました（2 語）" in result.summary()
    assert not compare_glossaries(_glossary(tmp_path / "a", ICT), _glossary(tmp_path / "b", ICT))


CONF = """\
project = "用語の方針"
author = "試し市"
language = "ja"
extensions = ["hoshin"]
html_theme = "basic"
html_copy_source = False
hoshin_project_slug = "terms"
hoshin_draft_findings = "info"
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1 frozen; the working draft changes only a definition (the text is the same)."""
    root = tmp_path_factory.mktemp("glossary-compare") / "p"
    (root / "source").mkdir(parents=True)
    (root / "conf.py").write_text(CONF, "utf-8")
    (root / "source" / "index.md").write_text(
        "(cover)=\n# 用語の方針\n\n- 市はICTを使います。\n\n```{toctree}\nglossary\n```\n", "utf-8"
    )
    (root / "source" / "glossary.md").write_text(
        "(glossary)=\n# 用語集\n\n```{glossary-index}\n```\n", "utf-8"
    )
    (root / "revisions").mkdir()
    (root / "revisions" / "history.yaml").write_text("versions:\n", "utf-8")
    _glossary(root / "glossary", ICT)
    freeze(root, FreezeRequest("v1", "最初の素案", date="2021-03-01"))
    _glossary(root / "glossary", dict(ICT, definition="情報通信技術（ICT）のことです。"))
    assert main(["-C", str(root), "build"]) == 0
    return root


def test_site_page_shows_the_glossary_section_after_an_unchanged_text(project: Path) -> None:
    page = (project / "_build" / "html" / "shinkyu" / "v1-current.html").read_text("utf-8")
    assert "本文の変更はありません。" in page
    assert '<h2 id="glossary-changes">用語集の変更</h2>' in page
    assert "［追加：</span>（ICT）<span" in page


def test_hoshin_diff_in_every_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def diff(*fmt: str) -> str:
        capsys.readouterr()
        main(["-C", str(project), "diff", "v1", "current", *fmt])
        return capsys.readouterr().out

    text = diff()  # captured: not a terminal, so no colour
    assert "用語集の変更" in text and "{+（ICT）+}" in text
    data = json.loads(diff("--format", "json"))
    assert data["changes"] == [] and data["glossary"]["changes"][0]["term"] == "ICT"
    rows = list(csv.reader(io.StringIO(diff("--format", "csv").lstrip("\ufeff"))))
    assert rows[1][:3] == ["用語集の変更", "ICT", "変更"]
    assert "用語集の変更" in diff("--format", "html")


def test_pdf_and_word_have_the_same_section(project: Path, tmp_path: Path) -> None:
    from docx import Document

    from hoshin.core.history import load_revisions
    from hoshin.core.mystdoc import read_document
    from hoshin.revisions.compare import compare
    from hoshin.revisions.office_docx import write_shinkyu_docx
    from hoshin.revisions.pdfbuild import shinkyu_tex

    tex = shinkyu_tex(project, "v1", "current", {"project": "用語の方針"})
    assert "二つの版の本文に違いはありません。" in tex  # about the text only
    assert tex.index("用語集の変更") > tex.index("二つの版の本文に違いはありません。")
    assert "情報通信技術" in tex[tex.index("用語集の変更") :]
    data = load_revisions(project, check_labels=False)
    cmp = compare(read_document(data.source_dir("v1")), read_document(data.source_dir("current")),
                  [], old_id="v1", new_id="current")  # fmt: skip
    cmp.glossary = data.glossary_comparison("v1", "current")
    out = write_shinkyu_docx(cmp, tmp_path / "t.docx")
    doc = Document(str(out))
    assert "用語集の変更" in [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "情報通信技術（ICT）のことです。" in cells
