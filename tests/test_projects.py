"""Two projects of other shapes, each from ``hoshin init`` to a revision (issue 16).

``tests/projects/prose`` (prose paragraphs with a table) and ``tests/projects/articles``
(第N条 with 項/号) are fictional policies written for the tests; their READMEs list every
edit of v1 → v2 and the record that explains it. Each is taken the way a clerk would:
``hoshin init``, the sample replaced by the town's text, ``hoshin freeze``, the revised text
with its change records, ``hoshin check`` (exactly the one deliberately unexplained edit),
``hoshin diff`` in every format and the workbook export, each showing the join row by row:
a row carries only the record that covers it; the unexplained edit carries none. One
project is also built with ``hoshin build --pdf`` (the site's 新旧対照表 page and the PDFs).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from hoshin.cli import main

PROJECTS = Path(__file__).parent / "projects"


@dataclass(frozen=True)
class Row:
    """One expected row of the 新旧対照表 (from the project's README)."""

    section: str
    kind: str
    records: tuple[int, ...]
    needle: str  # a piece of the changed text that identifies the row


@dataclass(frozen=True)
class Shape:
    name: str
    title: str
    issuer: str
    rows: tuple[Row, ...]
    unexplained_path: str  # where hoshin check reports the unexplained edit (project-relative)


SHAPES = {
    "prose": Shape(
        "prose", "みなと町図書館サービス基本方針", "みなと町教育委員会",
        (
            Row("sec-2-1", "changed", (1,), "電子メール"),
            Row("sec-2-1", "changed", (2,), "港の産業"),
            Row("sec-2-3", "changed", (3,), "高台に新しくできた住宅地"),
            Row("sec-2-3", "changed", (4,), "2週間に1回"),
            Row("sec-2-3", "changed", (), "交流センター"),
        ),
        "source/2/2-3.md:14",
    ),
    "articles": Shape(
        "articles", "さくら市公文書管理規程", "さくら市",
        (
            Row("sec-4", "changed", (1,), "10年"),
            Row("sec-4", "changed", (2,), "翌年度の4月1日"),
            Row("sec-5", "removed", (3,), "各課の書棚"),
            Row("sec-6", "changed", (), "承認を受けなければ"),
            Row("sec-6", "added", (4,), "廃棄した日を記録"),
        ),
        "source/2.md:31",
    ),
}  # fmt: skip


def _replace(src: Path, dest: Path) -> None:
    shutil.rmtree(dest)
    shutil.copytree(src, dest)


def start_project(tmp_path: Path, shape: Shape, capsys: pytest.CaptureFixture[str]) -> Path:
    """init → the town's v1 in place of the sample → freeze v1 → v2 and its records."""
    data = PROJECTS / shape.name
    root = tmp_path / shape.name
    assert main(["init", str(root), "--title", shape.title, "--issuer", shape.issuer,
                 "--slug", shape.name]) == 0  # fmt: skip
    history = (root / "revisions" / "history.yaml").read_text("utf-8")
    assert "versions: []" in history  # init freezes nothing: the town's text is version 1
    _replace(data / "v1" / "source", root / "source")  # the sample chapter goes
    _replace(data / "glossary", root / "glossary")
    assert main(["-C", str(root), "check"]) == 0
    assert main(["-C", str(root), "freeze", "v1", "--summary", "第1版", "--date", "2025-04"]) == 0
    _replace(data / "v2" / "source", root / "source")
    current = root / "revisions" / "current"
    current.mkdir(parents=True, exist_ok=True)
    shutil.copy(data / "changes-v2.yaml", current / "changes.yaml")
    capsys.readouterr()
    return root


def _visible(html: str) -> str:
    """The text of an HTML fragment as read, without the screen-reader words of 傍線."""
    text = re.sub(r'<span class="hoshin-sr">[^<]*</span>', "", html)
    return re.sub(r"<[^>]+>", "", text)


def _reason_cell(tr: str) -> str:
    found = re.search(r'class="hoshin-shinkyu-reason"[^>]*>(.*?)</td>', tr, re.S)
    assert found is not None, tr
    return found.group(1)


def _reason_numbers(reasons: list[str]) -> tuple[int, ...]:
    return tuple(int(r.split(" ", 1)[0].removeprefix("No.")) for r in reasons)


def _row_of(rows: tuple[Row, ...], text: str) -> Row:
    found = [r for r in rows if r.needle in text]
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_project_from_init_to_revision(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shape = SHAPES[name]
    root = start_project(tmp_path, shape, capsys)

    # hoshin check: exactly the deliberately unexplained edit, at its line of the v2 text
    assert main(["-C", str(root), "check"]) == 1
    captured = capsys.readouterr()
    assert captured.out.strip() == "hoshin check: 0 errors, 1 findings"
    findings = captured.err.strip().splitlines()
    assert len(findings) == 1 and findings[0].startswith(
        f"{shape.unexplained_path}:1: v1 → current: "
    )
    assert findings[0].endswith("に改版記録がありません [unexplained]")

    out = tmp_path / "out"
    for fmt in ("text", "html", "csv", "json", "docx", "pdf"):
        args = [
            "-C",
            str(root),
            "diff",
            "v1",
            "current",
            "--format",
            fmt,
            "-o",
            str(out / f"d.{fmt}"),
        ]
        assert main(args) == 0, fmt
    assert main(["-C", str(root), "export", "changes", "-o", str(out / "changes.xlsx")]) == 0

    # JSON: each change carries exactly its records; the unexplained one none and is listed
    data = json.loads((out / "d.json").read_text("utf-8"))
    changes = data["changes"]
    assert [(c["section"], c["kind"]) for c in changes] == [(r.section, r.kind) for r in shape.rows]
    for change, row in zip(changes, shape.rows, strict=True):
        assert row.needle in change["old"] + change["new"]
        assert _reason_numbers(change["reasons"]) == row.records, row
    unexplained = [k for k, r in enumerate(shape.rows) if not r.records]
    assert [u["index"] for u in data["unexplained"]] == unexplained
    assert data["stale_reasons"] == data["quote_mismatches"] == []
    assert "\\u" not in (out / "d.json").read_text("utf-8")  # Japanese kept as UTF-8

    # text: the reasons printed under each numbered change
    text = (out / "d.text").read_text("utf-8")
    blocks = text.split("\n\n")[1 : 1 + len(shape.rows)]
    for block, row in zip(blocks, shape.rows, strict=True):
        reasons = [
            ln.strip().removeprefix("改版理由: ") for ln in block.splitlines() if "改版理由:" in ln
        ]
        assert _reason_numbers(reasons) == row.records, block
    assert "理由のない変更 (unexplained): 1 件" in text

    # CSV: the 改版理由 column
    rows = list(csv.reader(io.StringIO((out / "d.csv").read_text("utf-8").lstrip("\ufeff"))))
    assert rows[0][-1] == "改版理由"
    for cells, row in zip(rows[1:], shape.rows, strict=True):
        assert _reason_numbers([r for r in cells[-1].split("\n") if r]) == row.records

    # HTML: the reason cell of each table row
    page = (out / "d.html").read_text("utf-8")
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    for tr, row in zip(body.split("</tr>")[: len(shape.rows)], shape.rows, strict=True):
        cell = _reason_cell(tr)
        assert _reason_numbers([r for r in cell.split("<br>") if r]) == row.records, tr

    # Word: the last column of the table
    from docx import Document

    table = Document(str(out / "d.docx")).tables[0]
    cells = [r.cells[-1].text for r in table.rows[1:]]
    assert len(cells) == len(shape.rows)
    for cell, row in zip(cells, shape.rows, strict=True):
        got = tuple(n for n in range(1, 10) if f"No.{n} " in cell)
        assert got == row.records, cell

    # PDF: every record's reason appears once, on its own row only
    pdf_text = subprocess.run(["pdftotext", str(out / "d.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
    for n in (1, 2, 3, 4):
        assert pdf_text.count(f"No.{n} ") == 1, n

    # The workbook: every record matched its quotation and got a row of the table
    from openpyxl import load_workbook

    sheet = load_workbook(out / "changes.xlsx")["current"]
    header = [c.value for c in sheet[1]]
    results = {
        r[0]: r[header.index("照合結果")] for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert results == {1: "一致", 2: "一致", 3: "一致", 4: "一致"}

    # After freezing v2 the same join holds between the frozen versions
    assert main(["-C", str(root), "freeze", "v2", "--summary", "第2版", "--date", "2025-10"]) == 0
    capsys.readouterr()
    assert main(["-C", str(root), "check"]) == 1
    captured = capsys.readouterr()
    assert "v1 → v2: " in captured.err and captured.out.strip().endswith("0 errors, 1 findings")
    assert main(["-C", str(root), "diff", "v1", "v2", "--format", "json"]) == 0
    frozen = json.loads(capsys.readouterr().out)
    assert [_reason_numbers(c["reasons"]) for c in frozen["changes"]] == [
        r.records for r in shape.rows
    ]


@pytest.mark.slow
def test_prose_project_builds_its_site_and_pdfs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shape = SHAPES["prose"]
    root = start_project(tmp_path, shape, capsys)
    changes = root / "revisions" / "current" / "changes.yaml"  # No.1 gives no page
    changes.write_text(changes.read_text("utf-8").replace("    page: 5\n", "", 1), "utf-8")
    assert main(["-C", str(root), "freeze", "v2", "--summary", "第2版", "--date", "2025-10"]) == 0
    assert main(["-C", str(root), "build", "--pdf"]) == 0
    html = root / "_build" / "html"
    page = (html / "shinkyu" / "v1-v2.html").read_text("utf-8")
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    trs = body.split("</tr>")[: len(shape.rows)]
    for tr, row in zip(trs, shape.rows, strict=True):
        assert row.needle in _visible(tr)
        cell = _reason_cell(tr)
        got = tuple(n for n in range(1, 10) if f"No.{n}<" in cell or f"No.{n} " in cell)
        assert got == row.records, tr
    revisions = (html / "revisions.html").read_text("utf-8")
    assert "shinkyu/v1-v2.html" in revisions  # {revision-comparisons} on the revisions page
    assert "（P5）" in _change_row(revisions, 2)  # a page the record gives
    assert "（P" not in _change_row(revisions, 1)  # none given, no PDF yet: nothing shown
    pdfs = sorted(p.name for p in (root / "_build" / "pdf").glob("*.pdf"))
    assert "prose-shinkyu-v1-v2.pdf" in pdfs, pdfs
    pdf_text = subprocess.run(["pdftotext", str(root / "_build" / "pdf" / "prose-shinkyu-v1-v2.pdf"),
                               "-"], capture_output=True, text=True, check=True).stdout  # fmt: skip
    for n in (1, 2, 3, 4):
        assert pdf_text.count(f"No.{n} ") == 1, n

    # A comparison that no longer exists leaves no page behind
    stale = html / "shinkyu" / "v0-v1.html"
    stale.write_text("<p>old</p>", "utf-8")
    (root / "source" / "index.md").write_text(
        (root / "source" / "index.md").read_text("utf-8") + "\n", "utf-8"
    )
    assert main(["-C", str(root), "build"]) == 0
    assert not stale.exists()
    assert (html / "shinkyu" / "v1-v2.html").exists()
    # Now v2's PDF exists: No.1 shows the page its section starts on there
    latex = root / "_build" / ".cache" / "pdf" / "v2" / "latex"
    aux = next(latex.glob("*.aux")).read_text("utf-8")
    found = re.search(r"\\newlabel\{[^}]*:sec-2-1\}\{\{[^}]*\}\{(\d+)\}", aux)
    assert found is not None
    record_row = _change_row((html / "revisions.html").read_text("utf-8"), 1)
    assert f"（P{found.group(1)}）" in record_row, record_row


def _change_row(page: str, number: int) -> str:
    return page.split(f'id="change-{number}"', 1)[1].split("</tr>", 1)[0]
