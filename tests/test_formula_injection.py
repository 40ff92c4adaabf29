"""Text is never a formula: every .xlsx hoshin writes stores text as text, every CSV
neutralises a leading ``=``, ``+``, ``-``, ``@``, tab or CR, and a workbook with a formula
is refused on import. Covers ``hoshin export changes``, ``hoshin import changes``,
``hoshin diff --format csv`` and the office stage of ``hoshin build --office``."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from hoshin.cli import main
from hoshin.core.history import load_revisions
from hoshin.revisions.render import csv_cell

FORMULA = '=HYPERLINK("http://x.example/","click")'
HOSTILE_TEXTS = (FORMULA, "+1+2", "-3+4", "@SUM(A1)", "\t=1", "\r=1")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("formula") / "p"
    assert main(["init", str(root), "--title", "試しの方針", "--issuer", "試し市"]) == 0
    assert main(["-C", str(root), "freeze", "_1", "--date", "2024-04-01",
                 "--event", "会議", "--summary", "最初の版"]) == 0  # fmt: skip
    chapter = root / "source" / "1" / "1-1.md"
    chapter.write_text(chapter.read_text("utf-8") + f"\n{FORMULA}\n\n@SUM(A1) の表\n", "utf-8")
    (root / "revisions" / "current").mkdir(exist_ok=True)
    (root / "revisions" / "current" / "changes.yaml").write_text(
        yaml.safe_dump({"changes": [{
            "number": 1, "motive": "+庁内意見照会", "page": 1, "sections": ["sec-1-1"],
            "old": None, "new": FORMULA, "reason": FORMULA,
        }]}, allow_unicode=True), "utf-8")  # fmt: skip
    return root


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(template, root)
    return root


def _no_formula_cells(path: Path) -> list[str]:
    book = load_workbook(path)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def test_csv_cell_neutralises_every_formula_start() -> None:
    assert [csv_cell(t) for t in HOSTILE_TEXTS] == ["'" + t for t in HOSTILE_TEXTS]
    assert csv_cell("市では、=を含む文") == "市では、=を含む文"
    assert csv_cell("") == ""


def test_diff_csv_has_no_formula_cells(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "diff.csv"
    main(["-C", str(project), "diff", "_1", "current", "--format", "csv", "-o", str(out)])
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8").lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert f"'{FORMULA}" in cells  # the chapter's line and the record's reason
    assert "'@SUM(A1) の表" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_export_writes_text_cells_and_import_round_trips(project: Path) -> None:
    target = project / "out.xlsx"
    assert main(["-C", str(project), "export", "changes", "-o", str(target)]) == 0
    texts = _no_formula_cells(target)
    assert FORMULA in texts and "+庁内意見照会" in texts
    before = [(r.reason, r.new, r.motive) for r in load_revisions(project).all_records()]
    assert main(["-C", str(project), "import", "changes", str(target)]) == 0
    after = [(r.reason, r.new, r.motive) for r in load_revisions(project).all_records()]
    assert after == before == [(FORMULA, FORMULA, "+庁内意見照会")]


def test_import_refuses_a_formula_cell(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = project / "out.xlsx"
    assert main(["-C", str(project), "export", "changes", "-o", str(target)]) == 0
    book = load_workbook(target)
    sheet = book["current"]
    column = [c.value for c in sheet[1]].index("改版理由") + 1
    sheet.cell(row=2, column=column).value = FORMULA  # openpyxl stores it as a formula
    assert sheet.cell(row=2, column=column).data_type == "f"
    book.save(target)
    changes = project / "revisions" / "current" / "changes.yaml"
    before = changes.read_bytes()
    assert main(["-C", str(project), "import", "changes", str(target)]) == 2
    assert "current!H2: 数式は取り込めません" in capsys.readouterr().err
    assert changes.read_bytes() == before


def test_office_stage_writes_text_cells(project: Path) -> None:
    assert main(["-C", str(project), "build", "--office"]) == 0
    books = sorted((project / "_build" / "office").rglob("*.xlsx"))
    assert books
    for book in books:
        assert FORMULA in _no_formula_cells(book)


def test_plain_workbook_is_not_a_template_for_formulas() -> None:
    """openpyxl turns a '=' string into a formula unless told: the guard above matters."""
    sheet = Workbook().active
    assert sheet is not None
    sheet["A1"] = FORMULA
    assert sheet["A1"].data_type == "f"
