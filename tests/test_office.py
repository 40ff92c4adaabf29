"""Office exports: 改訂箇所 as .xlsx (round trip) and 新旧対照表 as .docx."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hoshin.cli import main
from hoshin.core.history import load_revisions
from hoshin.revisions.office_xlsx import ALL_SHEET, HEADERS, ImportErrors, read_changes_xlsx

from .conftest import REPO

SEED_COLUMNS = [
    "No.",
    "改版前ver.",
    "改版後ver.",
    "改版動機",
    "ページ",
    "改版前",
    "改版後",
    "改版理由",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    shutil.copy(REPO / "conf.py", root / "conf.py")
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "revisions", root / "revisions")
    return root


def test_export_has_seed_columns_sheets_and_layout(project: Path) -> None:
    target = project / "out.xlsx"
    assert main(["-C", str(project), "export", "changes", "-o", str(target)]) == 0
    book = load_workbook(target)
    assert book.sheetnames[0] == ALL_SHEET
    assert {"_63", "_83"} <= set(book.sheetnames)
    sheet = book[ALL_SHEET]
    header = [c.value for c in sheet[1]]
    assert header[:8] == SEED_COLUMNS
    assert header[-1] == "照合結果"
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1 + 13  # all 13 rows of the seed's table
    row2 = {h: c.value for h, c in zip(header, sheet[3], strict=True)}
    assert row2["No."] == 2
    assert row2["改版前"].startswith("※ 推進に当たっては、同時に行政事務の効率化")
    assert sheet["F3"].alignment.wrap_text
    assert sheet.column_dimensions["F"].width >= 40
    assert book["_63"].max_row == 2  # row 1 only
    results = {row[0].value: row[-1].value for row in sheet.iter_rows(min_row=2)}
    # (刷新) is a description, not a quote; 3-1-3 did not change, so the join gives it no row
    assert results[5].startswith(
        "照合なし（引用ではない）。対応する変更なし: No.5 の節 sec-3-1-3 は"
    )
    assert results[12] == "照合なし（引用ではない）"  # quote: none, and the glossary was added
    assert results[2].startswith(
        "不一致"
    )  # the seed's row 2 quotes text the body words differently
    assert results[1] == "一致"


def test_round_trip_returns_identical_records(project: Path) -> None:
    before = load_revisions(project)
    target = project / "out.xlsx"
    assert main(["-C", str(project), "export", "changes", "-o", str(target)]) == 0
    assert main(["-C", str(project), "import", "changes", str(target)]) == 0
    after = load_revisions(project)
    assert after.errors == []

    def strip(rs):
        return [
            (
                r.version,
                r.from_version,
                r.no,
                r.motive,
                str(r.page),
                r.sections,
                r.old,
                r.new,
                r.reason,
                r.quote,
                r.acknowledged,
                r.opinions,
            )
            for r in rs
        ]

    assert strip(after.all_records()) == strip(before.all_records())


def test_round_trip_keeps_the_opinions_a_record_cites(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = project / "revisions" / "_63" / "changes.yaml"
    text = changes.read_text("utf-8")
    changes.write_text(
        text.replace("reason: 第2回", 'opinions: ["kaigi2:1", "kaigi2:A-2"]\n    reason: 第2回'),
        "utf-8",
    )
    assert _record_one(project).opinions == ("kaigi2:1", "kaigi2:A-2")
    target = project / "out.xlsx"
    assert main(["-C", str(project), "export", "changes", "-o", str(target)]) == 0
    book = load_workbook(target)
    header = [c.value for c in book["_63"][1]]
    assert book["_63"].cell(2, header.index("意見") + 1).value == "kaigi2:1、kaigi2:A-2"
    assert main(["-C", str(project), "import", "changes", str(target)]) == 0
    assert _record_one(project).opinions == ("kaigi2:1", "kaigi2:A-2")
    assert 'opinions: ["kaigi2:1", "kaigi2:A-2"]' in changes.read_text("utf-8").replace("'", '"')

    # a cell that names no opinion is refused with its place, and nothing is written
    book["_63"].cell(2, header.index("意見") + 1).value = "kaigi2:1、第2回の意見"
    book.save(target)
    capsys.readouterr()
    assert main(["-C", str(project), "import", "changes", str(target)]) == 2
    assert "_63!L2: '第2回の意見' is not an opinion (<event id>:<opinion id>)" in (
        capsys.readouterr().err
    )


def test_bad_rows_are_named_by_cell_and_nothing_is_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = project / "out.xlsx"
    assert main(["-C", str(project), "export", "changes", "-o", str(target)]) == 0
    book = load_workbook(target)
    sheet = book["_83"]
    sheet["A2"] = "二"  # No. not a number
    sheet["C3"] = "_99"  # unknown version
    sheet["D4"] = None  # motive missing
    sheet["A5"] = sheet["A6"].value  # duplicate No.
    book.save(target)
    before = (project / "revisions/_83/changes.yaml").read_bytes()
    assert main(["-C", str(project), "import", "changes", str(target)]) == 2
    messages = capsys.readouterr().err
    assert "_83!A2: No. must be a positive whole number" in messages
    assert "_83!C3: unknown version '_99'" in messages
    assert "_83!D4: 改版動機 is empty" in messages
    assert "_83!A6: duplicate No." in messages
    assert "nothing was written" in messages
    assert (project / "revisions/_83/changes.yaml").read_bytes() == before


def test_not_a_workbook(tmp_path: Path) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_text("not a zip", "utf-8")
    with pytest.raises(ImportErrors) as info:
        read_changes_xlsx(bad, ["_62"])
    assert "not a readable .xlsx file" in info.value.messages[0]


def test_headers_start_with_the_seed_columns() -> None:
    assert list(HEADERS[:8]) == SEED_COLUMNS


@pytest.fixture(scope="module")
def comparison_63_83():  # type: ignore[no-untyped-def]
    from hoshin.core.mystdoc import read_document
    from hoshin.revisions.compare import Comparison
    from hoshin.revisions.diff import diff_documents

    old = read_document(REPO / "revisions/_63/source")
    new = read_document(REPO / "revisions/_83/source")
    changes = diff_documents(old, new)
    reasons = {
        i: [f"理由 <{i}> & {{x}}"] for i, c in enumerate(changes) if c.section == "sec-3-1-1"
    }
    return Comparison(
        "_63", "_83", changes, reasons=reasons, old_date="記録なし", new_date="令和XX年XX月"
    )


def _underlined(paragraph, style: str) -> str:  # type: ignore[no-untyped-def]
    from docx.enum.text import WD_UNDERLINE

    want = {"single": WD_UNDERLINE.SINGLE, "double": WD_UNDERLINE.DOUBLE}[style]
    return "".join(r.text for r in paragraph.runs if r.font.underline == want)


def test_docx_underlines_exactly_the_changed_characters(tmp_path: Path, comparison_63_83) -> None:  # type: ignore[no-untyped-def]
    from docx import Document
    from docx.enum.section import WD_ORIENT

    from hoshin.revisions.diff import apply_new, apply_old
    from hoshin.revisions.office_docx import write_shinkyu_docx

    cmp = comparison_63_83
    target = write_shinkyu_docx(cmp, tmp_path / "shinkyu.docx")
    doc = Document(str(target))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "_63" in body and "_83" in body and "令和XX年XX月" in body
    assert "傍線" in body
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["No.", "箇所", "改版前", "改版後", "改版理由"]
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # header repeats on each page
    assert len(table.rows) == 1 + len(cmp.changes)
    for change, row in zip(cmp.changes, table.rows[1:], strict=True):
        old_p, new_p = row.cells[2].paragraphs[0], row.cells[3].paragraphs[0]
        if change.kind == "added":
            assert old_p.text == "（新設）"  # as the PDF says, not a blank cell
        if change.kind == "moved":
            assert _underlined(old_p, "double") == change.old
            continue
        deleted = "".join(s.text for s in change.spans if s.op == "delete")
        inserted = "".join(s.text for s in change.spans if s.op == "insert")
        assert _underlined(old_p, "single") == deleted
        assert _underlined(new_p, "single") == inserted
        if apply_old(change.spans):
            assert old_p.text == apply_old(change.spans)
        if apply_new(change.spans):
            assert new_p.text == apply_new(change.spans)
    reasons = [row.cells[4].text for row in table.rows[1:]]
    assert "理由 <" in "".join(reasons)  # YAML text shown literally
    kinds = {row.cells[1].paragraphs[-1].text for row in table.rows[1:]}
    assert "（変更）" in kinds and "（改訂）" not in kinds  # the PDF's labels
    rfonts = doc.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")


def test_docx_column_order_is_configurable(tmp_path: Path, comparison_63_83) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    from hoshin.revisions.office_docx import write_shinkyu_docx

    target = write_shinkyu_docx(
        comparison_63_83, tmp_path / "s.docx", columns=("new", "old"), with_reasons=False
    )
    header = [c.text for c in Document(str(target)).tables[0].rows[0].cells]
    assert header == ["No.", "箇所", "改版後", "改版前"]


@pytest.mark.slow
def test_docx_opens_in_libreoffice_with_japanese_text(tmp_path: Path, comparison_63_83) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from hoshin.revisions.office_docx import write_shinkyu_docx

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (libreoffice-writer-nogui) is installed by make setup"
    target = write_shinkyu_docx(comparison_63_83, tmp_path / "shinkyu.docx")
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "shinkyu.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "新旧対照表" in text
    assert "改版前" in text and "改版後" in text
    assert "セキュリティに配慮する" in text.replace("\n", "")


def test_hoshin_diff_writes_docx_with_the_records_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document

    target = tmp_path / "shinkyu.docx"
    assert main(["-C", str(REPO), "diff", "_63", "_83", "--format", "docx", "-o", str(target)]) == 0
    table = Document(str(target)).tables[0]
    reasons = "\n".join(row.cells[4].text for row in table.rows[1:])
    assert "第3回有識者会議における、市民の皆さんからお預かりする申請データ" in reasons  # row 2
    assert main(["-C", str(REPO), "diff", "_63", "_83", "--format", "docx"]) == 2
    assert "give it with -o FILE" in capsys.readouterr().err


def test_office_stage_writes_every_pair_and_skips_when_unchanged(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hoshin.cli.officestage import build_office
    from hoshin.core.project import Project
    from hoshin.revisions import office_docx

    staging = project / "_build" / "office"
    staging.mkdir(parents=True)
    files = build_office(Project(project), staging)
    # the 新旧対照表 of each pair, the workbook, and 意見と対応 of each event with opinions
    assert sorted(p.name for p in files) == [
        "joetsu-ict-opinions-chonai.docx",
        "joetsu-ict-opinions-chonai.xlsx",
        "joetsu-ict-opinions-kaigi2.docx",
        "joetsu-ict-opinions-kaigi2.xlsx",
        "joetsu-ict-opinions-kaigi3.docx",
        "joetsu-ict-opinions-kaigi3.xlsx",
        "joetsu-ict-shinkyu-_62-_63.docx",
        "joetsu-ict-shinkyu-_63-_83.docx",
        "joetsu-ict-shinkyu-_83-current.docx",
        "改訂箇所.xlsx",
    ]

    def must_not_render(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("rendered although nothing changed")

    monkeypatch.setattr(office_docx, "write_shinkyu_docx", must_not_render)
    assert len(build_office(Project(project), staging)) == 10  # cached: nothing rendered
    chapter = project / "source" / "1" / "1-1.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n- 追記した文です。\n", "utf-8")
    with pytest.raises(AssertionError, match="rendered although"):
        build_office(Project(project), staging)


@pytest.mark.slow
def test_hoshin_diff_writes_a_shinkyu_pdf_for_any_pair(tmp_path: Path) -> None:
    import subprocess

    target = tmp_path / "d.pdf"
    assert main(["-C", str(REPO), "diff", "_62", "_83", "--format", "pdf", "-o", str(target)]) == 0
    text = subprocess.run(
        ["pdftotext", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    text = "".join(text.split())  # pdftotext spaces digits apart from kanji: 「第 2 回」
    assert "新旧対照表" in text and "改版前：_62" in text
    assert "第2回有識者会議" in text  # row 1's reason
    assert "第3回有識者会議" in text  # rows 2-5 (_63 → _83 lies in between)


def test_office_files_carry_issuer_title_date_print_setup_and_every_record(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    from hoshin.cli.officestage import build_office
    from hoshin.core.project import Project
    from hoshin.revisions.office_xlsx import HANDOUT_SHEET

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1622505600")  # 2021-06-01
    monkeypatch.delenv("HOSHIN_EDITION", raising=False)
    staging = project / "_build" / "office"
    staging.mkdir(parents=True)
    build_office(Project(project), staging)
    day = datetime.datetime(2021, 6, 1)

    doc = Document(str(staging / "joetsu-ict-shinkyu-_63-_83.docx"))
    props = doc.core_properties
    assert props.author == "新潟県上越市" and props.last_modified_by == "新潟県上越市"
    assert props.title.startswith("上越市ICTによる情報化推進基本方針 新旧対照表")
    assert props.created.replace(tzinfo=None) == day
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert section.footer._element.xpath(".//w:fldSimple[@w:instr='PAGE']")  # page numbers
    assert doc.paragraphs[0].text.startswith("上越市ICTによる情報化推進基本方針")
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "游明朝"
    # No.5 and No.13 have no old wording: listed after the table with the reason why
    records = doc.tables[1]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in records.rows[1:]}
    assert set(rows) == {"No.5", "No.13"}
    assert rows["No.5"][2] == "（改版前の文言の記録なし）" and rows["No.5"][3] == "(刷新)"
    assert "改版前の文言が記録されていない" in rows["No.13"][-1]

    book = load_workbook(staging / "改訂箇所.xlsx")
    assert book.sheetnames == [HANDOUT_SHEET]  # no editors' sheets in the public edition
    assert book.properties.creator == "新潟県上越市" and book.properties.created == day
    sheet = book[HANDOUT_SHEET]
    assert [c.value for c in sheet[1]] == ["No.", "改版前ver.", "改版後ver.", "改版動機", "箇所",
                                           "改版前", "改版後", "改版理由"]  # fmt: skip
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == list(range(1, 14))
    text = "".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert "sec-" not in text and "<p>" not in text and "一致" not in text
    assert sheet["A2"].font.name == "游ゴシック" and book._fonts[0].name == "游ゴシック"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows == "$1:$1"
    assert "&P" in sheet.oddFooter.center.text
    # the review edition adds the editors' sheets after the one handed out
    monkeypatch.setenv("HOSHIN_EDITION", "review")
    build_office(Project(project), staging)
    names = load_workbook(staging / "改訂箇所.xlsx").sheetnames
    assert names[0] == HANDOUT_SHEET and {"全体", "_63", "_83"} <= set(names)


def _record_one(project: Path):
    return next(r for r in load_revisions(project).all_records() if r.no == 1)
