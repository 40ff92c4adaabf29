"""新旧対照表 as a Word document (python-docx), for councils and internal approval (決裁).

The same table as the PDF (:mod:`hoshin.revisions.shinkyu_pdf`), with its labels: the title
of the document and the two versions, the note on 傍線, one row per change (No., 箇所 with
its kind, 改版前 and 改版後 in the configured order with the changed characters underlined
and moved passages double-underlined, （新設）/（削除） for a missing side, 改版理由), then the
records no row shows, with the reason why. A4 landscape, the header row repeated on each
page, page numbers, Japanese fonts, and the issuer, title and build date as document
properties. Pure: no Sphinx import.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_UNDERLINE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from hoshin.core.glossarydiff import KIND_LABELS as GLOSSARY_KIND_LABELS
from hoshin.core.glossarydiff import SECTION_TITLE as GLOSSARY_SECTION
from hoshin.core.ooxmlzip import normalise_ooxml
from hoshin.core.recordtext import paragraphs
from hoshin.revisions.pairinfo import HEADING, INTRO, NO_NEW, NO_OLD, UnshownRecord
from hoshin.revisions.render import KIND_LABELS, SIDE_LABELS, glossary_cell, shinkyu_rows
from hoshin.revisions.shinkyu_pdf import NO_CHANGES, NO_REASON, NOTE, ShinkyuHeading

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    from hoshin.revisions.compare import Comparison
    from hoshin.revisions.render import ShinkyuCell

#: Japanese font names Word and LibreOffice know (Word's default Japanese serif).
EAST_ASIAN_FONT = "游明朝"
FALLBACK_FONT = "MS 明朝"
HEADING_FONT = "游ゴシック"
#: Column widths (mm) of the change table and of the table of records no row shows.
_WIDTHS = {"no": 11, "where": 36, "text": 82, "reason": 56}
_UNSHOWN_WIDTHS = (16, 36, 62, 62, 45, 46)
_GLOSSARY_WIDTHS = (50, 109, 109)


def _set_fonts(element_owner: object, east_asian: str = EAST_ASIAN_FONT) -> None:
    """python-docx sets only the Latin font name; Japanese needs ``w:eastAsia`` too."""
    element = element_owner.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "ja-JP")


def _repeat_header(row: object) -> None:
    """Mark a table row as header, repeated on every page (python-docx has no setter)."""
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _page_number(paragraph: Paragraph) -> None:
    """A ``PAGE`` field, centred: Word and LibreOffice print the page number."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _cell_text(paragraph: Paragraph, cell: ShinkyuCell) -> None:
    """One side: unchanged text plain, changes underlined (傍線), moved text double."""
    if cell.placeholder:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(cell.placeholder)
        return
    for seg in cell.segments:
        run = paragraph.add_run(seg.text)
        if seg.mark in ("del", "ins"):
            run.font.underline = WD_UNDERLINE.SINGLE
        elif seg.mark == "moved":
            run.font.underline = WD_UNDERLINE.DOUBLE


def _fill(cell: _Cell, text: str, *, bold: bool = False, small: str = "") -> None:
    """Plain text (lines become paragraphs); ``small`` as a smaller line below."""
    cell.text = ""
    lines = text.split("\n") or [""]
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        paragraph = first if i == 0 else cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold
    if small:
        run = cell.add_paragraph().add_run(small)
        run.font.size = Pt(8.5)


def _table(doc: DocxDocument, header: Sequence[str]) -> Table:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _fill(cell, text, bold=True)
    _repeat_header(table.rows[0])
    return table


def _size(table: Table, widths_mm: Sequence[int]) -> None:
    """Fixed column widths (Word reads the cells' widths, LibreOffice the grid's)."""
    widths = [Mm(w) for w in widths_mm]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _properties(doc: DocxDocument, heading: ShinkyuHeading, when: datetime.datetime) -> None:
    props = doc.core_properties
    props.title = f"{heading.title} 新旧対照表（{heading.old_label} → {heading.new_label}）"
    props.subject = "新旧対照表"
    props.author = heading.issuer
    props.last_modified_by = heading.issuer
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    props.language = "ja-JP"
    props.keywords = "新旧対照表"
    props.comments = ""
    props.category = getattr(heading, "mark", "") or ""


def _document(heading: ShinkyuHeading) -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    section.top_margin, section.bottom_margin = Mm(15), Mm(17)
    section.footer_distance = Mm(8)
    _page_number(section.footer.paragraphs[0])
    normal = doc.styles["Normal"]
    normal.font.name = FALLBACK_FONT
    normal.font.size = Pt(10)
    _set_fonts(normal)
    for name in ("Title", "Heading 1"):
        style = doc.styles[name]
        style.font.name = HEADING_FONT
        _set_fonts(style, HEADING_FONT)
    return doc


def write_shinkyu_docx(
    cmp: Comparison,
    path: str | Path,
    *,
    columns: Sequence[str] = ("old", "new"),
    with_reasons: bool = True,
    heading: ShinkyuHeading | None = None,
    unshown: Sequence[UnshownRecord] = (),
    when: datetime.datetime | None = None,
) -> Path:
    """Write the comparison ``cmp`` to ``path`` (.docx) and return the path.

    ``heading`` names the document, issuer and versions (as on the PDF); ``unshown`` are
    the records no row shows; ``when`` dates the file (the build's date).
    """
    if sorted(columns) != ["new", "old"]:
        raise ValueError(f"columns must be old and new in some order, got {list(columns)}")
    if heading is None:
        labels = [f"{vid}（{date}）" if date else vid
                  for vid, date in ((cmp.old_id, cmp.old_date), (cmp.new_id, cmp.new_date))]  # fmt: skip
        heading = ShinkyuHeading("", "", *labels)
    when = when or datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    doc = _document(heading)
    _properties(doc, heading, when.replace(microsecond=0))

    mark = getattr(heading, "mark", "")
    if mark:
        doc.add_paragraph(mark).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title = doc.add_paragraph(style="Title")
    title.add_run(f"{heading.title}　新旧対照表".lstrip("　")).font.size = Pt(16)
    facts = doc.add_paragraph(f"改版前：{heading.old_label}　　改版後：{heading.new_label}")
    if heading.issuer:
        facts.add_run(f"\t{heading.issuer}")
        facts.paragraph_format.tab_stops.add_tab_stop(Mm(265), WD_TAB_ALIGNMENT.RIGHT)
    doc.add_paragraph(NOTE)

    header = ["No.", "箇所", *(SIDE_LABELS[c] for c in columns)]
    widths = [_WIDTHS["no"], _WIDTHS["where"], _WIDTHS["text"], _WIDTHS["text"]]
    if with_reasons:
        header.append("改版理由")
        widths.append(_WIDTHS["reason"])
    else:
        widths[2] = widths[3] = _WIDTHS["text"] + _WIDTHS["reason"] // 2
    rows = shinkyu_rows(cmp, columns)  # type: ignore[arg-type]
    if rows:
        table = _table(doc, header)
        for number, row in enumerate(rows, start=1):
            cells = table.add_row().cells
            _fill(cells[0], str(number))
            kind = KIND_LABELS.get(row.kind, row.kind)
            _fill(cells[1], row.title or row.section, small=f"（{kind}）")
            for offset, cell in enumerate(row.cells, start=2):
                cells[offset].text = ""
                _cell_text(cells[offset].paragraphs[0], cell)
            if with_reasons:
                _fill(cells[-1], "\n".join(row.reasons) or NO_REASON)
        _size(table, widths)
    else:
        doc.add_paragraph(NO_CHANGES)

    if unshown:
        doc.add_paragraph()
        doc.add_paragraph(HEADING, style="Heading 1")
        doc.add_paragraph(INTRO)
        names = [f"{SIDE_LABELS[c]}（表の記載）" for c in columns]
        table = _table(doc, ["No.", "箇所", *names, "改版理由", "対照表に現れない理由"])
        for item in unshown:
            r = item.record
            texts = {"old": "\n".join(paragraphs(r.old)) or NO_OLD,
                     "new": "\n".join(paragraphs(r.new)) or NO_NEW}  # fmt: skip
            cells = table.add_row().cells
            for cell, text in zip(cells, [f"No.{r.no}", item.where, *[texts[c] for c in columns],
                                          r.reason_display, item.why], strict=True):  # fmt: skip
                _fill(cell, text)
        _size(table, _UNSHOWN_WIDTHS)
    if cmp.glossary:  # the one rule of hoshin.core.glossarydiff: a section of its own
        doc.add_paragraph()
        doc.add_paragraph(GLOSSARY_SECTION, style="Heading 1")
        doc.add_paragraph(cmp.glossary.summary())
        if cmp.glossary.changes:
            table = _table(doc, ["用語", *(SIDE_LABELS[c] for c in columns)])
            for change in cmp.glossary.changes:
                cells = table.add_row().cells
                _fill(cells[0], change.term, small=f"（{GLOSSARY_KIND_LABELS[change.kind]}）")
                for offset, side in enumerate(columns, start=1):
                    cells[offset].text = ""
                    _cell_text(cells[offset].paragraphs[0], glossary_cell(change, side))  # type: ignore[arg-type]
            _size(table, _GLOSSARY_WIDTHS)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return normalise_ooxml(out, when)
