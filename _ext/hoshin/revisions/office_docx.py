"""新旧対照表 as a Word document (python-docx), for councils and internal approval (決裁).

An A4 landscape page with a title naming both versions and their dates in 和暦, the note
that underlined parts are the changes, and one table row per change: the section heading,
改版前 and 改版後 in the configured column order with the changed characters underlined
(傍線) and moved passages double-underlined (二重傍線), and optionally the reasons.
Pure: no Sphinx import.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_UNDERLINE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

if TYPE_CHECKING:
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    from hoshin.revisions.diff import BlockChange
    from hoshin.revisions.render import Comparison

#: Japanese font names Word and LibreOffice know; the first one installed is used.
EAST_ASIAN_FONT = "游明朝"
FALLBACK_FONT = "MS 明朝"
COLUMN_TITLES = {"old": "改版前", "new": "改版後"}
KIND_TITLES = {"changed": "改訂", "added": "追加", "removed": "削除", "moved": "移動"}
NOTE = "（注）傍線（下線）を付した部分が改訂部分です。二重傍線は移動した部分です。"


def _set_east_asian_font(run_or_style: object, name: str = EAST_ASIAN_FONT) -> None:
    """python-docx sets only the Latin font name; Japanese needs ``w:eastAsia`` too."""
    element = run_or_style.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _repeat_header(row: object) -> None:
    """Mark a table row as header, repeated on every page (python-docx has no setter)."""
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _text_with_marks(paragraph: Paragraph, change: BlockChange, side: str) -> None:
    """Add the text of one side, underlining exactly the characters that changed."""
    if change.kind == "moved":
        run = paragraph.add_run(change.old if side == "old" else change.new)
        run.font.underline = WD_UNDERLINE.DOUBLE
        return
    wanted = "delete" if side == "old" else "insert"
    for span in change.spans:
        if span.op != "equal" and span.op != wanted:
            continue
        run = paragraph.add_run(span.text)
        if span.op == wanted:
            run.font.underline = WD_UNDERLINE.SINGLE
    if not paragraph.runs:
        paragraph.add_run("（なし）")


def _fill(cell: _Cell, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold


def write_shinkyu_docx(
    cmp: Comparison,
    path: str | Path,
    *,
    columns: Sequence[str] = ("old", "new"),
    with_reasons: bool = True,
    title: str = "新旧対照表",
    old_label: str | None = None,
    new_label: str | None = None,
) -> Path:
    """Write the comparison ``cmp`` to ``path`` (.docx) and return the path."""
    if sorted(columns) != ["new", "old"]:
        raise ValueError(f"columns must be old and new in some order, got {list(columns)}")
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    normal = doc.styles["Normal"]
    normal.font.name = FALLBACK_FONT
    normal.font.size = Pt(10.5)
    _set_east_asian_font(normal)

    heading = doc.add_paragraph()
    heading_run = heading.add_run(title)
    heading_run.bold = True
    heading_run.font.size = Pt(14)
    heading.add_run("\n")
    old_name = old_label or f"改版前 {cmp.old_id}（{cmp.old_date or '日付未定'}）"
    new_name = new_label or f"改版後 {cmp.new_id}（{cmp.new_date or '日付未定'}）"
    heading.add_run(f"{old_name} → {new_name}")
    doc.add_paragraph(NOTE)

    header_cells = ["箇所", *(COLUMN_TITLES[c] for c in columns)]
    if with_reasons:
        header_cells.append("改版理由")
    table = doc.add_table(rows=1, cols=len(header_cells))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header_cells, strict=True):
        _fill(cell, text, bold=True)
    _repeat_header(table.rows[0])

    for index, change in enumerate(cmp.changes):
        cells = table.add_row().cells
        _fill(cells[0], f"{change.title}\n（{KIND_TITLES.get(change.kind, change.kind)}）")
        for offset, side in enumerate(columns, start=1):
            cells[offset].text = ""
            _text_with_marks(cells[offset].paragraphs[0], change, side)
        if with_reasons:
            reasons = cmp.reasons.get(index, [])
            _fill(cells[-1], "\n".join(reasons) if reasons else "（改版理由の記録なし）")

    widths = [Mm(40), Mm(100), Mm(100), Mm(27)] if with_reasons else [Mm(47), Mm(110), Mm(110)]
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out
