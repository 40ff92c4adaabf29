"""改訂箇所 (change records) as an Excel workbook, and back again.

The workbook handed out (``hoshin build --office``) has one sheet, 改訂箇所: the same
labels and rows as the PDF's table (No. / 改版前ver. / 改版後ver. / 改版動機 / 箇所 / 改版前 /
改版後 / 改版理由, quoted paragraphs as lines), Japanese fonts, A4 landscape print setup
with the header row repeated and page numbers, and the issuer, title and build date as
document properties. The editors' sheets follow it only in the review edition and in
``hoshin export changes``: the seed's columns plus what a round trip needs (箇所 labels,
引用, 確認済み) and the quote-check result, one sheet per version and one with all.
Import reads the per-version editors' sheets, validates every row, reporting
``sheet!cell: message``, and writes nothing unless every row is valid. Pure: no Sphinx.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

from hoshin.core.builddate import draft_epoch
from hoshin.core.history import CURRENT, ID_PATTERN, ChangeRecord, RevisionData, version_id_name
from hoshin.core.mystsyntax import LABEL_PATTERN
from hoshin.core.ooxmlzip import normalise_ooxml
from hoshin.core.recordtext import plain

ALL_SHEET = "全体"
#: The sheet handed out, and its columns (the PDF's labels) with widths in characters.
HANDOUT_SHEET = "改訂箇所"
HANDOUT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("No.", 5), ("改版前ver.", 10), ("改版後ver.", 10), ("改版動機", 14), ("箇所", 22),
    ("改版前", 50), ("改版後", 50), ("改版理由", 30),
)  # fmt: skip
#: Japanese Gothic for every cell (Excel's Japanese default), Latin glyphs included.
JAPANESE_FONT = "游ゴシック"
NO_TEXT = "－"
#: (header, width in characters) — the seed's eight columns first.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("No.", 6),
    ("改版前ver.", 11),
    ("改版後ver.", 11),
    ("改版動機", 16),
    ("ページ", 7),
    ("改版前", 48),
    ("改版後", 48),
    ("改版理由", 36),
    ("箇所", 14),
    ("引用", 8),
    ("確認済み", 20),
    ("意見", 20),
    ("照合結果", 24),
)
HEADERS = tuple(name for name, _ in COLUMNS)
_SPLIT_LABELS = re.compile(r"[\s、,，]+")
#: How a record cites an opinion (``<event id>:<opinion id>``); the opinions feature checks
#: that the opinion exists.
OPINION_REF = f"{ID_PATTERN}:[A-Za-z0-9][A-Za-z0-9_.-]*"


class ImportErrors(Exception):
    """Every invalid row of a workbook, each as ``sheet!cell: message``."""

    def __init__(self, path: Path, messages: list[str]) -> None:
        super().__init__(f"{path}: {len(messages)} invalid cells")
        self.path = path
        self.messages = messages


def _row_of(record: ChangeRecord, quote_result: str) -> list[Any]:
    return [
        record.no,
        record.from_version,
        record.version,
        record.motive,
        int(record.page) if record.page is not None and record.page.isdigit() else record.page,
        record.old if record.old is not None else NO_TEXT,
        record.new if record.new is not None else NO_TEXT,
        record.reason,
        "、".join(record.sections),
        record.quote,
        record.acknowledged or "",
        "、".join(record.opinions),
        quote_result,
    ]


@dataclasses.dataclass(frozen=True)
class WorkbookFacts:
    """What the handed-out workbook says about itself: document properties and print heads.

    ``titles`` maps section labels to headings (the 箇所 column shows headings, never
    labels); ``review`` adds the editors' sheets after the handed-out one."""

    title: str
    issuer: str
    when: datetime.datetime
    titles: Mapping[str, str] = dataclasses.field(default_factory=dict)
    review: bool = False


def _where(record: ChangeRecord, titles: Mapping[str, str]) -> str:
    heads = "、".join(t for t in (titles.get(label) for label in record.sections) if t)
    page = record.page_display if record.page else ""
    if heads and page:
        return f"{heads}（{page}）"
    return heads or page


def _handout_sheet(book: Workbook, records: list[ChangeRecord], facts: WorkbookFacts) -> None:
    """The 改訂箇所 sheet: the PDF table's labels and rows, set up for A4 landscape print."""
    sheet = book.create_sheet(HANDOUT_SHEET)
    sheet.append([name for name, _ in HANDOUT_COLUMNS])
    for r in sorted(records, key=lambda r: r.no):
        sheet.append([
            r.no, version_id_name(r.from_version), version_id_name(r.version), r.motive,
            _where(r, facts.titles), plain(r.old) or NO_TEXT, plain(r.new) or NO_TEXT,
            r.reason_display,
        ])  # fmt: skip
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = border
            cell.font = Font(name=JAPANESE_FONT, size=10, bold=cell.row == 1)
    for cell in sheet[1]:
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    for index, (_, width) in enumerate(HANDOUT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    _print_setup(sheet, f"{facts.title}　改訂箇所")


def _print_setup(sheet: Worksheet, heading: str) -> None:
    """A4 landscape, one page wide, header row on every page, title and page numbers."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7
    sheet.oddHeader.center.text = heading.replace("&", "&&")
    sheet.oddFooter.center.text = "&P / &N"


def _japanese_defaults(book: Workbook) -> None:
    """The workbook's default font (empty cells, new rows) Japanese instead of Calibri."""
    font = Font(name=JAPANESE_FONT, size=11, family=3, charset=128, scheme=None)
    book._fonts = IndexedList([font])  # the first font is the default; nothing uses it yet
    book._named_styles["Normal"].font = font


def _properties(book: Workbook, facts: WorkbookFacts) -> None:
    props = book.properties
    props.title = f"{facts.title} 改訂箇所"
    props.subject = "改訂箇所"
    props.creator = facts.issuer
    props.lastModifiedBy = facts.issuer
    props.created = props.modified = facts.when.replace(tzinfo=None, microsecond=0)
    props.language = "ja-JP"
    props.keywords = "改訂箇所"


def write_changes_xlsx(
    data: RevisionData,
    path: str | Path,
    *,
    quote_result: Callable[[ChangeRecord], str] | None = None,
    facts: WorkbookFacts | None = None,
) -> Path:
    """Write every change record of ``data`` to ``path`` (.xlsx).

    With ``facts``, the workbook handed out: the 改訂箇所 sheet, followed by the editors'
    sheets only when ``facts.review``. Without, the editors' workbook of
    ``hoshin export changes`` (the sheets ``hoshin import changes`` reads).
    """
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    _japanese_defaults(book)
    records = list(data.all_records())
    if facts is not None:
        _properties(book, facts)
        _handout_sheet(book, records, facts)
        if not facts.review:
            return _save(book, path, facts.when)
    result = quote_result or (lambda _r: "")
    _sheet(book, ALL_SHEET, records, result)
    for version_id in [*data.ids, CURRENT]:
        own = data.records_for(version_id)
        if own:
            _sheet(book, _sheet_name(version_id), own, result)
    return _save(book, path, facts.when if facts else None)


def _save(book: Workbook, path: str | Path, when: datetime.datetime | None) -> Path:
    _text_cells(book)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(out))
    # The editors' workbook (no facts) is dated like the build: SOURCE_DATE_EPOCH or today.
    when = when or datetime.datetime.fromtimestamp(draft_epoch(None), tz=datetime.UTC)
    return normalise_ooxml(out, when)


def _text_cells(book: Workbook) -> None:
    """Every text cell of every sheet is stored as text: openpyxl would otherwise write a
    value starting with ``=`` (a change reason ``=HYPERLINK(…)``) as a live formula."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"


def quote_results(data: RevisionData) -> Callable[[ChangeRecord], str]:
    """Each record's quote check and join against the two versions it joins (照合結果).

    「一致」 or 「不一致: …」 for the quotations; a record that the join gives no row of the
    新旧対照表 of its own pair (its section or its quoted wording did not change) says so.
    """
    from hoshin.core.mystdoc import read_document
    from hoshin.revisions.compare import compare, quote_finding

    documents: dict[str, Any] = {}
    uncovered: dict[tuple[str, str], dict[int, str]] = {}

    def document(version_id: str) -> Any:
        if version_id not in documents:
            documents[version_id] = read_document(data.source_dir(version_id))
        return documents[version_id]

    def no_row(record: ChangeRecord) -> str | None:
        pair = (record.from_version, record.version)
        if pair not in uncovered:
            cmp = compare(document(pair[0]), document(pair[1]), data.records_for(record.version),
                          old_id=pair[0], new_id=pair[1])  # fmt: skip
            uncovered[pair] = {f.number: f.message for f in cmp.stale_reasons if f.number}
        return uncovered[pair].get(record.no)

    def result(record: ChangeRecord) -> str:
        problems: list[str] = []
        if not (record.quotes("old") or record.quotes("new")):
            text = "照合なし（引用ではない）"
        else:
            for side, version in (("old", record.from_version), ("new", record.version)):
                finding = quote_finding(record, side, document(version))
                if finding is not None:
                    problems.append(finding.message)
            text = "不一致: " + " / ".join(problems) if problems else "一致"
        stale = no_row(record) if record.sections else None
        if stale is not None:
            text += f"。対応する変更なし: {stale}"
        if record.acknowledged and (problems or stale is not None):
            text += f"（確認済み: {record.acknowledged}）"
        return text

    return result


def _sheet_name(version_id: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", version_id)[:31]


def _sheet(
    book: Workbook,
    name: str,
    records: Iterable[ChangeRecord],
    result: Callable[[ChangeRecord], str],
) -> None:
    sheet = book.create_sheet(name)
    sheet.append(list(HEADERS))
    for record in records:
        sheet.append(_row_of(record, result(record)))
    header_fill = PatternFill("solid", fgColor="D9E2F3")
    for cell in sheet[1]:
        cell.font = Font(name=JAPANESE_FONT, bold=True)
        cell.fill = header_fill
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _print_setup(sheet, f"改訂箇所（編集用）　{name}")


@dataclasses.dataclass
class _RowReader:
    sheet: str
    row: int
    cells: dict[str, Any]
    errors: list[str]

    def where(self, header: str) -> str:
        column = get_column_letter(HEADERS.index(header) + 1)
        return f"{self.sheet}!{column}{self.row}"

    def text(self, header: str, *, required: bool = True, nullable: bool = False) -> str | None:
        value = self.cells.get(header)
        text = "" if value is None else str(value).strip()
        if nullable and text in ("", NO_TEXT, "-", "－", "―"):
            return None
        if not text and required:
            self.errors.append(f"{self.where(header)}: {header} is empty")
        return text or None

    def number(self) -> int | None:
        value = self.cells.get("No.")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.errors.append(
                f"{self.where('No.')}: No. must be a positive whole number, got {value!r}"
            )
            return None
        return value


def read_changes_xlsx(
    path: str | Path, known_versions: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """Read the per-version sheets back into change-record mappings (YAML shape).

    The 全体 sheet is an overview and is not read. Raises :class:`ImportErrors` listing
    every bad cell; returns ``{version_id: [record, …]}`` only when all rows are valid.
    """
    book_path = Path(path)
    try:
        book = load_workbook(book_path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportErrors(
            book_path, [f"{book_path.name}: not a readable .xlsx file ({exc})"]
        ) from None
    known = set(known_versions) | {CURRENT}
    errors: list[str] = []
    result: dict[str, list[dict[str, Any]]] = {}
    seen: dict[int, str] = {}
    for sheet in book.worksheets:
        if sheet.title in (ALL_SHEET, HANDOUT_SHEET):
            continue
        rows = []
        for row in sheet.iter_rows():
            for cell in row:
                if getattr(cell, "data_type", "") == "f":
                    errors.append(f"{sheet.title}!{cell.coordinate}: "
                                  "数式は取り込めません。文字として入力します（先頭に ' を付けます）")  # fmt: skip
            rows.append(tuple(getattr(cell, "value", None) for cell in row))
        if not rows:
            continue
        header = tuple("" if h is None else str(h).strip() for h in rows[0])
        missing = [h for h in HEADERS[:11] if h not in header]
        if missing:
            errors.append(f"{sheet.title}!A1: missing columns {', '.join(missing)}")
            continue
        for number, values in enumerate(rows[1:], start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            cells = {h: v for h, v in zip(header, values, strict=False) if h in HEADERS}
            reader = _RowReader(sheet.title, number, cells, errors)
            record = _record_from(reader, known, seen)
            if record is not None:
                version = str(cells.get("改版後ver.") or "").strip()
                result.setdefault(version, []).append(record)
    if errors:
        raise ImportErrors(book_path, errors)
    return result


def _record_from(
    reader: _RowReader, known: set[str], seen: dict[int, str]
) -> dict[str, Any] | None:
    before = len(reader.errors)
    no = reader.number()
    if no is not None:
        if no in seen:
            reader.errors.append(f"{reader.where('No.')}: duplicate No. {no} (also at {seen[no]})")
        seen[no] = reader.where("No.")
    old_version = reader.text("改版前ver.")
    new_version = reader.text("改版後ver.")
    for header, value in (("改版前ver.", old_version), ("改版後ver.", new_version)):
        if value and (not re.fullmatch(ID_PATTERN, value) or value not in known):
            reader.errors.append(
                f"{reader.where(header)}: unknown version {value!r}; "
                f"known: {', '.join(sorted(known))}"
            )
    if new_version and reader.sheet != _sheet_name(new_version):
        reader.errors.append(
            f"{reader.where('改版後ver.')}: a record for {new_version} "
            f"belongs on sheet {_sheet_name(new_version)}"
        )
    motive = reader.text("改版動機")
    page_value = reader.cells.get("ページ")
    page: str | int | None = reader.text("ページ", required=False)
    if isinstance(page_value, (int, float)) and float(page_value).is_integer():
        page = int(page_value)
    labels = [s for s in _SPLIT_LABELS.split(reader.text("箇所", required=False) or "") if s]
    for label in labels:
        if not re.fullmatch(LABEL_PATTERN, label):
            reader.errors.append(f"{reader.where('箇所')}: {label!r} is not a section label")
    quote = reader.text("引用", required=False) or "both"
    if quote not in ("both", "old", "new", "none"):
        reader.errors.append(
            f"{reader.where('引用')}: must be both, old, new or none; got {quote!r}"
        )
    record: dict[str, Any] = {"number": no, "from": old_version, "motive": motive}
    if page is not None:  # without a page, the build shows where the section starts in the PDF
        record["page"] = page
    record["sections"] = labels
    record["old"] = reader.text("改版前", nullable=True)
    record["new"] = reader.text("改版後", nullable=True)
    if quote != "both":
        record["quote"] = quote
    record["reason"] = reader.text("改版理由")
    acknowledged = reader.text("確認済み", required=False)
    if acknowledged:
        record["acknowledged"] = acknowledged
    refs = [s for s in _SPLIT_LABELS.split(reader.text("意見", required=False) or "") if s]
    for ref in refs:
        if not re.fullmatch(OPINION_REF, ref):
            reader.errors.append(
                f"{reader.where('意見')}: {ref!r} is not an opinion (<event id>:<opinion id>)"
            )
    if refs:
        record["opinions"] = refs
    return record if len(reader.errors) == before else None


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def changes_yaml(records: list[dict[str, Any]], version_id: str) -> str:
    """The text of ``revisions/<version_id>/changes.yaml`` for imported records."""
    head = f"# 版 {version_id} に至る改版記録（hoshin import changes で表計算ファイルから取り込んだもの）\n"
    body = yaml.dump(
        {"changes": records},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=10_000,
        default_flow_style=None,
    )
    return head + body
