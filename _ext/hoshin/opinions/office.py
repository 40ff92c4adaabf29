"""「意見の概要と市の考え方」 as an Excel workbook and a Word document (pure: no Sphinx).

The same rows as the web page (:func:`hoshin.opinions.render.result_table`), laid out the
way the office files of the 新旧対照表 are: Japanese fonts, A4 portrait print setup with
the header row repeated and page numbers, the issuer, title and build date as document
properties, every text cell stored as text (no formula), and the OOXML normalised so that
the same inputs give the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from hoshin.core.ooxmlzip import normalise_ooxml
from hoshin.opinions.render import ResultTable, counts_sentence, event_facts

GOTHIC = "游ゴシック"
MINCHO = "游明朝"
#: Millimetres of A4 portrait text width given to the columns, in proportion to WIDTHS.
_TEXT_WIDTH_MM = 180


@dataclasses.dataclass(frozen=True)
class OfficeFacts:
    """What a file says about itself: the document's title, the issuer, the date."""

    title: str
    issuer: str
    when: datetime.datetime
    mark: str = ""  # 審議用 in the review edition


def write_result_xlsx(table: ResultTable, path: Path, facts: OfficeFacts) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "意見の概要と市の考え方"[:31]
    heading = f"{facts.title}　{table.title}"
    sheet.append([heading])
    sheet.append([counts_sentence(table)])
    for name, text in event_facts(table.event):
        sheet.append([f"{name}：{text}"])
    header_row = sheet.max_row + 1
    sheet.append(list(table.headers))
    for row in table.rows:
        sheet.append(list(row))
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in sheet.iter_rows():
        for cell in row:
            cell.font = Font(name=GOTHIC, size=10, bold=cell.row in (1, header_row))
            cell.alignment = Alignment(wrap_text=cell.row >= header_row, vertical="top")
            if cell.row >= header_row:
                cell.border = border
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    for cell in sheet[header_row]:
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    for index, width in enumerate(table.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width * 1.1
    sheet.freeze_panes = f"A{header_row + 1}"
    setup = sheet.page_setup
    setup.orientation = "portrait"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddHeader.center.text = (f"{facts.mark}　" if facts.mark else "") + heading.replace(
        "&", "&&"
    )
    sheet.oddFooter.center.text = "&P / &N"
    props = book.properties
    props.title, props.subject = heading, table.title
    props.creator = props.lastModifiedBy = facts.issuer
    props.created = props.modified = facts.when.replace(tzinfo=None, microsecond=0)
    props.language, props.keywords = "ja-JP", "意見の概要と市の考え方"
    props.category = facts.mark
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return normalise_ooxml(path, facts.when)


def _fonts(style_or_run: object, east_asian: str) -> None:
    rpr = style_or_run.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def write_result_docx(table: ResultTable, path: Path, facts: OfficeFacts) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin, section.bottom_margin = Mm(18), Mm(18)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)
    normal = doc.styles["Normal"]
    normal.font.name = "MS 明朝"
    normal.font.size = Pt(10)
    _fonts(normal, MINCHO)
    if facts.mark:
        doc.add_paragraph(facts.mark).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title = doc.add_paragraph()
    run = title.add_run(table.title)
    run.bold, run.font.size = True, Pt(14)
    _fonts(run, GOTHIC)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(facts.title).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name, text in event_facts(table.event):
        doc.add_paragraph(f"{name}：{text}")
    doc.add_paragraph(counts_sentence(table))
    grid = doc.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    trpr = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    total = sum(table.widths)
    widths = [Mm(_TEXT_WIDTH_MM * w / total) for w in table.widths]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for grid_row in grid.rows:
        for cell, width in zip(grid_row.cells, widths, strict=True):
            cell.width = width
    props = doc.core_properties
    props.title, props.subject = f"{facts.title} {table.title}", table.title
    props.author = props.last_modified_by = facts.issuer
    props.created = props.modified = props.last_printed = facts.when
    props.revision, props.language = 1, "ja-JP"
    props.keywords, props.comments, props.category = "意見の概要と市の考え方", "", facts.mark
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return normalise_ooxml(path, facts.when)
