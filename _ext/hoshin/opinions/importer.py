"""Opinions from a spreadsheet (.xlsx or .csv export of a web form or of e-mail triage).

A column mapping says which column holds which field (``summary=意見の概要,name=氏名``);
columns whose heading is one of :data:`DEFAULT_HEADERS` are mapped without being named.
Every cell is read as text; a formula cell of a workbook is refused (as ``hoshin import
changes`` does), so nothing a formula computes slips in unseen. Each row becomes an opinion
or a problem naming its row (``Sheet1!C5``, ``opinions.csv:7``): nothing is dropped
silently, and the caller writes nothing unless every row is readable.

The private fields (original text, name, address, e-mail, phone, organisation) are written
under ``private:`` of the YAML file, for editors only. Pure: no Sphinx.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from hoshin.opinions.model import OPINION_ID_PATTERN, UNRECORDED_TEXT

#: The fields a column can fill: the public ones, then the private ones.
PUBLIC_FIELDS = ("id", "date", "sections", "summary", "response", "disposition", "records")
PRIVATE_FIELDS = ("original", "name", "address", "email", "phone", "organisation", "note")
FIELDS = PUBLIC_FIELDS + PRIVATE_FIELDS
#: Column headings understood without a mapping.
DEFAULT_HEADERS: dict[str, str] = {
    "番号": "id",
    "No.": "id",
    "受付日": "date",
    "関係する節": "sections",
    "意見の概要": "summary",
    "市の考え方": "response",
    "対応区分": "disposition",
    "改版記録": "records",
    "意見": "original",
    "意見の原文": "original",
    "氏名": "name",
    "住所": "address",
    "メールアドレス": "email",
    "電子メール": "email",
    "電話番号": "phone",
    "団体名": "organisation",
    "所属": "organisation",
    "備考": "note",
}
_SPLIT = re.compile(r"[\s、,，]+")


class MappingError(ValueError):
    """A ``--map`` text that cannot be read."""


@dataclasses.dataclass
class ImportResult:
    """The opinions read (YAML-shaped mappings), the problems by row, and the columns used."""

    opinions: list[dict[str, Any]]
    problems: list[str]
    columns: dict[str, str]  # field -> column heading
    ignored: list[str]  # headings no field takes
    rows: int = 0  # data rows seen (blank rows not counted)
    note: str = ""


def parse_mapping(text: str) -> dict[str, str]:
    """``summary=意見の概要,name=氏名`` → {field: heading}."""
    mapping: dict[str, str] = {}
    for part in (p.strip() for p in re.split(r"[,，]", text or "")):
        if not part:
            continue
        field, sep, heading = part.partition("=")
        field, heading = field.strip(), heading.strip()
        if not sep or not heading:
            raise MappingError(f"--map: {part!r} is not FIELD=COLUMN")
        if field not in FIELDS:
            raise MappingError(f"--map: unknown field {field!r}; fields: {', '.join(FIELDS)}")
        mapping[field] = heading
    return mapping


def read_table(path: Path) -> tuple[list[tuple[str, int, list[Any]]], list[str], str]:
    """Rows of the first sheet (or the CSV) as (where-prefix, row number, values), the
    problems found reading them (formula cells), and a note about the encoding."""
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise MappingError(f"{path.name}: give a .xlsx or .csv file")
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise MappingError(f"{path.name}: not a readable .xlsx file ({exc})") from None
    sheet = book.worksheets[0]
    rows: list[tuple[str, int, list[Any]]] = []
    problems: list[str] = []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        values: list[Any] = []
        for cell in row:
            if getattr(cell, "data_type", "") == "f":
                problems.append(
                    f"{sheet.title}!{cell.coordinate}: 数式は取り込めません。"
                    "文字として入力します（先頭に ' を付けます）"
                )
                values.append(None)
            else:
                values.append(getattr(cell, "value", None))
        rows.append((sheet.title, number, values))
    return rows, problems, ""


def _read_csv(path: Path) -> tuple[list[tuple[str, int, list[Any]]], list[str], str]:
    raw = path.read_bytes()
    note = ""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp932")
        except UnicodeDecodeError:
            raise MappingError(f"{path.name}: neither UTF-8 nor Shift_JIS") from None
        note = "Shift_JIS として読みました"
    reader = csv.reader(io.StringIO(text, newline=""))
    return [(path.name, n, list(r)) for n, r in enumerate(reader, start=1)], [], note


def _text(value: Any) -> str:
    """A cell as text: whole numbers without ``.0``, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def read_opinions(
    path: Path,
    mapping: Mapping[str, str],
    *,
    dispositions: Sequence[str],
    existing_ids: Sequence[str] = (),
    empty_unrecorded: bool = False,
) -> ImportResult:
    """Read ``path`` into opinion mappings; every unreadable row is a problem naming its row.

    With ``empty_unrecorded``, an empty 意見の概要 or 市の考え方 is one the source material
    does not record (``unrecorded``: the outputs say so) instead of a problem or an opinion
    not answered yet."""
    rows, problems, note = read_table(path)
    while rows and all(_text(v) == "" for v in rows[0][2]):
        rows.pop(0)
    if not rows:
        return ImportResult([], [f"{path.name}: the file has no rows"], {}, [], 0, note)
    prefix, header_number, header_values = rows[0]
    headers = [_text(h) for h in header_values]
    columns: dict[str, int] = {}
    for field, heading in DEFAULT_HEADERS.items():
        if field in headers and heading not in columns:
            columns[heading] = headers.index(field)
    for field, heading in mapping.items():
        if heading not in headers:
            problems.append(
                f"{_cell(prefix, header_number, 0)}: no column {heading!r} "
                f"(columns: {', '.join(h for h in headers if h)})"
            )
            continue
        columns[field] = headers.index(heading)
    if "summary" not in columns:
        problems.append(
            f"{_cell(prefix, header_number, 0)}: no column for 'summary' "
            "(意見の概要); name it with --map summary=COLUMN"
        )
    used = set(columns.values())
    ignored = [h for i, h in enumerate(headers) if h and i not in used]
    opinions: list[dict[str, Any]] = []
    seen = set(existing_ids)
    next_id = max((int(i) for i in seen if str(i).isdigit()), default=0) + 1
    count = 0
    for prefix, number, values in rows[1:]:
        cells = {f: _text(values[i]) if i < len(values) else "" for f, i in columns.items()}
        if all(_text(v) == "" for v in values):
            continue
        count += 1
        opinion = _opinion(cells, prefix, number, columns, dispositions, problems, empty_unrecorded)
        if opinion is None:
            continue
        if "id" not in opinion:
            while str(next_id) in seen:
                next_id += 1
            opinion = {"id": next_id, **opinion}
            next_id += 1
        key = str(opinion["id"])
        if key in seen:
            problems.append(
                f"{_cell(prefix, number, columns.get('id', 0))}: opinion id {key!r} is already used"
            )
            continue
        seen.add(key)
        opinions.append(opinion)
    field_names = {f: headers[i] for f, i in columns.items()}
    return ImportResult(opinions, problems, field_names, ignored, count, note)


def _cell(prefix: str, row: int, column: int) -> str:
    if prefix.endswith(".csv"):
        return f"{prefix}:{row}"
    from openpyxl.utils import get_column_letter

    return f"{prefix}!{get_column_letter(column + 1)}{row}"


def _opinion(
    cells: dict[str, str],
    prefix: str,
    number: int,
    columns: Mapping[str, int],
    dispositions: Sequence[str],
    problems: list[str],
    empty_unrecorded: bool = False,
) -> dict[str, Any] | None:
    before = len(problems)

    def where(field: str) -> str:
        return _cell(prefix, number, columns.get(field, 0))

    out: dict[str, Any] = {}
    if cells.get("id"):
        if re.fullmatch(OPINION_ID_PATTERN, cells["id"]):
            out["id"] = int(cells["id"]) if cells["id"].isdigit() else cells["id"]
        else:
            problems.append(
                f"{where('id')}: 番号 {cells['id']!r} is not an opinion id ({OPINION_ID_PATTERN})"
            )
    if cells.get("date"):
        day = cells["date"].replace("/", "-")
        try:
            out["date"] = datetime.date.fromisoformat(
                "-".join(p.zfill(2) for p in day.split("-"))
            ).isoformat()
        except ValueError:
            problems.append(f"{where('date')}: 受付日 {cells['date']!r} is not a date (YYYY-MM-DD)")
    if cells.get("sections"):
        out["sections"] = [s for s in _SPLIT.split(cells["sections"]) if s]
    unrecorded = []
    if cells.get("summary"):
        out["summary"] = cells["summary"]
    elif empty_unrecorded:
        unrecorded.append("summary")
    else:
        problems.append(f"{where('summary')}: 意見の概要 is empty")
    if cells.get("response") or not empty_unrecorded:
        out["response"] = cells.get("response") or None
    else:
        unrecorded.append("response")
    disposition = cells.get("disposition") or None
    if disposition is not None and disposition not in dispositions:
        problems.append(
            f"{where('disposition')}: 対応区分 {disposition!r} is not one of "
            f"{'、'.join(dispositions)}"
        )
    out["disposition"] = disposition
    if cells.get("records"):
        parts = [p.removeprefix("No.") for p in _SPLIT.split(cells["records"]) if p]
        if all(p.isdigit() for p in parts):
            out["records"] = [int(p) for p in parts]
        else:
            problems.append(
                f"{where('records')}: 改版記録 {cells['records']!r} is not a list of record numbers"
            )
    if unrecorded:
        out["unrecorded"] = unrecorded
    private = {f: cells[f] for f in PRIVATE_FIELDS if cells.get(f)}
    if private:
        out["private"] = private
    return out if len(problems) == before else None


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)

_HEADER = """\
# {name}で受けた意見（hoshin import opinions で取り込み）。
# summary（意見の概要）、response（市の考え方）、disposition（対応区分）は公表します。
# private の下（原文、氏名、住所、メールアドレス、電話番号、団体名）は編集者だけのもので、
# どの出力にも書き出しません。
"""


def opinions_yaml(
    name: str,
    opinions: list[dict[str, Any]],
    *,
    date: str | None = None,
    existing: Mapping[str, Any] | None = None,
) -> str:
    """The YAML file of an event: an existing file's mapping with the new opinions appended."""
    base: dict[str, Any] = dict(existing or {"event": name, "date": date, "opinions": []})
    base["opinions"] = list(base.get("opinions") or []) + opinions
    text = yaml.dump(base, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return (_HEADER.format(name=base.get("event", name)) if existing is None else "") + text


def append_to_yaml(
    existing_text: str, data: Mapping[str, Any], opinions: list[dict[str, Any]]
) -> str:
    """The existing file with the new opinions added at the end of its ``opinions`` list, its
    comments kept — when that list is the file's last key and in block style; otherwise the
    file re-written from its data (comments lost)."""
    keys = list(data)
    items = data.get("opinions")
    block = (
        bool(items)
        and keys[-1] == "opinions"
        and not re.search(r"^opinions:\s*\[", existing_text, re.M)
    )
    if not opinions:
        return existing_text
    if block:
        added = yaml.dump(opinions, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        indent = re.search(r"^opinions:\s*\n(\s*)-", existing_text, re.M)
        pad = indent.group(1) if indent else ""
        added = "".join(pad + line if line.strip() else line for line in added.splitlines(True))
        return existing_text.rstrip("\n") + "\n" + added
    return opinions_yaml(str(data.get("event", "")), opinions, existing=data)


def preview_lines(result: ImportResult, *, limit: int = 40) -> list[str]:
    """What will be written, for the terminal: columns used, then one line per opinion.

    Private fields are named, never shown (the preview may be pasted into a ticket)."""
    lines = ["列の対応: " + "、".join(f"{f}←「{h}」" for f, h in result.columns.items())]
    if result.ignored:
        lines.append("取り込まない列: " + "、".join(f"「{h}」" for h in result.ignored))
    if result.note:
        lines.append(result.note)
    for opinion in result.opinions[:limit]:
        summary = str(opinion.get("summary") or UNRECORDED_TEXT)
        summary = summary if len(summary) <= 40 else summary[:39] + "…"
        unanswered = "元資料に記載なし" if "response" in opinion.get("unrecorded", []) else "未回答"
        extra = [str(opinion.get("disposition") or unanswered)]
        if opinion.get("records"):
            extra.append("No." + "、No.".join(str(n) for n in opinion["records"]))
        if opinion.get("private"):
            extra.append("非公開: " + "・".join(sorted(opinion["private"])))
        lines.append(f"  {opinion['id']}: {summary}（{'／'.join(extra)}）")
    if len(result.opinions) > limit:
        lines.append(f"  …ほか {len(result.opinions) - limit} 件")
    return lines
