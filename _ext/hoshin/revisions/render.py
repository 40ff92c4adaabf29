"""Renderers of a version comparison: terminal text, JSON, CSV and the 新旧対照表 (pure Python).

*Shinkyū taishōhyō* (新旧対照表, "old/new comparison table") is the side-by-side table that
Japanese public bodies publish with every revision: the old wording in one column, the new
in the other, changed parts underlined (傍線), moved parts double-underlined (二重傍線).
:func:`shinkyu_rows` produces its rows as plain data, shared by the HTML page here, the
Sphinx page and the PDF/Word exports.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Literal

from hoshin.core.glossarydiff import (
    KIND_LABELS as GLOSSARY_KIND_LABELS,
)
from hoshin.core.glossarydiff import (
    SECTION_TITLE as GLOSSARY_SECTION,
)
from hoshin.core.glossarydiff import (
    GlossaryChange,
    GlossaryComparison,
)
from hoshin.revisions.compare import Comparison, JoinFinding
from hoshin.revisions.diff import BlockChange, Span

__all__ = [
    "KIND_LABELS",
    "Segment",
    "ShinkyuCell",
    "ShinkyuRow",
    "render_csv",
    "render_html",
    "render_html_table",
    "render_json",
    "render_text",
    "shinkyu_rows",
]

Side = Literal["old", "new"]

#: Japanese names of the change kinds (CSV, tables).
KIND_LABELS: dict[str, str] = {
    "changed": "変更",
    "added": "追加",
    "removed": "削除",
    "moved": "移動",
}
#: Column headings of the two sides.
SIDE_LABELS: dict[str, str] = {"old": "改版前", "new": "改版後"}


# ---------------------------------------------------------------------------------------
# 新旧対照表 rows as plain data
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of one cell: ``mark`` is ``""`` (unchanged), ``del``, ``ins`` or ``moved``."""

    text: str
    mark: str = ""


@dataclass(frozen=True, slots=True)
class ShinkyuCell:
    """One side of a row; ``placeholder`` (（新設）, （削除）) stands in for a missing text."""

    side: Side
    segments: tuple[Segment, ...]
    placeholder: str = ""
    line: int | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class ShinkyuRow:
    """One row of the 新旧対照表: where, what kind, both sides in column order, reasons."""

    index: int
    section: str
    title: str
    kind: str
    cells: tuple[ShinkyuCell, ...]
    reasons: tuple[str, ...]
    old_section: str | None = None


def _cell(change: BlockChange, side: Side) -> ShinkyuCell:
    if side == "old":
        if change.kind == "added":
            return ShinkyuCell(side, (), "（新設）")
        wanted, mark = "delete", "del"
        line, path = change.old_line, change.old_path
    else:
        if change.kind == "removed":
            return ShinkyuCell(side, (), "（削除）")
        wanted, mark = "insert", "ins"
        line, path = change.new_line, change.new_path
    segments: list[Segment] = []
    plain = "moved" if change.kind == "moved" else ""
    for span in change.spans:
        if span.op == "equal":
            segments.append(Segment(span.text, plain))
        elif span.op == wanted:
            segments.append(Segment(span.text, mark))
    return ShinkyuCell(side, tuple(s for s in segments if s.text), "", line, path)


def glossary_cell(change: GlossaryChange, side: Side) -> ShinkyuCell:
    """One side of a glossary row, shaped like a text row's cell (placeholders, 傍線)."""
    if side == "old" and change.kind == "added":
        return ShinkyuCell(side, (), "（新設）")
    if side == "new" and change.kind == "removed":
        return ShinkyuCell(side, (), "（削除）")
    return ShinkyuCell(side, tuple(Segment(t, m) for t, m in change.segments(side)))


def shinkyu_rows(cmp: Comparison, columns: Sequence[Side] = ("old", "new")) -> list[ShinkyuRow]:
    """The rows of the 新旧対照表, cells in ``columns`` order (the seed's: 改版前 | 改版後)."""
    rows: list[ShinkyuRow] = []
    for k, change in enumerate(cmp.changes):
        rows.append(
            ShinkyuRow(
                k, change.section, change.title, change.kind,
                tuple(_cell(change, side) for side in columns),
                tuple(cmp.reasons.get(k, ())), change.old_section,
            )
        )  # fmt: skip
    return rows


# ---------------------------------------------------------------------------------------
# Terminal text
# ---------------------------------------------------------------------------------------

_RED = "\x1b[31;9m"
_GREEN = "\x1b[32;4m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_YELLOW = "\x1b[33m"
_RESET = "\x1b[0m"
# Characters that may not start a line (行頭禁則, simplified).
_NO_LINE_START = set(
    "、。，．・：；？！ー）」』】〕〉》”’ゝゞぁぃぅぇぉっゃゅょァィゥェォッャュョ)]}>,.!?"
)


def _width(ch: str) -> int:
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _wrap(pieces: list[tuple[str, str]], width: int, indent: str) -> list[str]:
    """Wrap (style, text) pieces to ``width`` display columns; styles are ANSI or markers."""
    lines: list[str] = []
    current: list[str] = [indent]
    used = _display_width(indent)
    for style, text in pieces:
        if style:
            current.append(style)
        for ch in text:
            if ch == "\n":
                current.append(_RESET if style.startswith("\x1b") else "")
                lines.append("".join(current))
                current, used = [indent, style], _display_width(indent)
                continue
            w = _width(ch)
            if used + w > width and used > len(indent) and ch not in _NO_LINE_START:
                if style.startswith("\x1b"):
                    current.append(_RESET)
                lines.append("".join(current))
                current, used = [indent, style], _display_width(indent)
            current.append(ch)
            used += w
        if style.startswith("\x1b"):
            current.append(_RESET)
    lines.append("".join(current))
    return [ln.rstrip() for ln in lines]


def _display_width(text: str) -> int:
    return sum(_width(ch) for ch in text)


def _span_pieces(spans: Sequence[Span], colour: bool) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    for span in spans:
        if span.op == "equal":
            pieces.append(("", span.text))
        elif colour:
            pieces.append((_RED if span.op == "delete" else _GREEN, span.text))
        elif span.op == "delete":
            pieces.append(("", "[-" + span.text + "-]"))
        else:
            pieces.append(("", "{+" + span.text + "+}"))
    return pieces


def _glossary_pieces(change: GlossaryChange, colour: bool) -> list[tuple[str, str]]:
    """A glossary change as one running text with deletions and insertions marked."""
    old, new = change.old or "", change.new or ""
    spans: list[Span] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            spans.append(Span("equal", old[a1:a2]))
            continue
        if a2 > a1:
            spans.append(Span("delete", old[a1:a2]))
        if b2 > b1:
            spans.append(Span("insert", new[b1:b2]))
    return _span_pieces(spans, colour)


def _finding_text(item: JoinFinding) -> str:
    where = ""
    if item.path:
        where = item.path
        if item.line:
            where += f":{item.line}"
            if item.col:
                where += f":{item.col}"
        where += ": "
    section = f"[{item.section}] " if item.section else ""
    message = item.message
    return f"{where}{section}{message}"


def render_text(cmp: Comparison, colour: bool, width: int = 80) -> str:
    """A terminal report: one paragraph per change, wrapped to ``width`` columns.

    Without colour, deletions read ``[-…-]`` and insertions ``{+…+}`` (git's word diff).
    """
    bold = _BOLD if colour else ""
    dim = _DIM if colour else ""
    reset = _RESET if colour else ""
    out: list[str] = []
    dates = ""
    if cmp.old_date or cmp.new_date:
        dates = f" ({cmp.old_date or '?'} → {cmp.new_date or '?'})"
    out.append(f"{bold}{cmp.old_id} → {cmp.new_id}{reset}{dates}: {len(cmp.changes)} 件の変更")
    for k, change in enumerate(cmp.changes):
        out.append("")
        where = change.section
        if change.kind == "moved" and change.old_section and change.old_section != change.section:
            where = f"{change.old_section} → {change.section}"
        head = (
            f"{bold}{k + 1}. {where}{reset} {change.title} {dim}[{KIND_LABELS[change.kind]}]{reset}"
        )
        out.extend(_wrap([("", head)], width, ""))
        line_info = []
        if change.old_path:
            line_info.append(f"{SIDE_LABELS['old']} {change.old_path}:{change.old_line}")
        if change.new_path:
            line_info.append(f"{SIDE_LABELS['new']} {change.new_path}:{change.new_line}")
        if line_info:
            out.append(f"   {dim}{' / '.join(line_info)}{reset}")
        out.extend(_wrap(_span_pieces(change.spans, colour), width, "   "))
        for reason in cmp.reasons.get(k, []):
            out.extend(_wrap([("", f"改版理由: {reason}")], width, "   "))
    if cmp.glossary:
        out.append("")
        out.append(f"{bold}{GLOSSARY_SECTION}{reset}: {cmp.glossary.summary()}")
        for k, g in enumerate(cmp.glossary.changes):
            out.append("")
            out.append(
                f"{bold}{k + 1}. {g.term}{reset} {dim}[{GLOSSARY_KIND_LABELS[g.kind]}]{reset}"
            )
            out.extend(_wrap(_glossary_pieces(g, colour), width, "   "))
    for title, items in (
        ("理由のない変更 (unexplained)", cmp.unexplained),
        ("変更のない改版理由 (stale_reasons)", cmp.stale_reasons),
        ("引用の不一致 (quote_mismatches)", cmp.quote_mismatches),
    ):
        if items:
            out.append("")
            out.append(f"{_YELLOW if colour else ''}{title}: {len(items)} 件{reset}")
            for item in items:
                out.extend(_wrap([("", "- " + _finding_text(item))], width, ""))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------
# JSON and CSV
# ---------------------------------------------------------------------------------------


def comparison_data(cmp: Comparison) -> dict[str, Any]:
    """The JSON shape of ``hoshin diff --format json`` as plain data."""
    return {
        "old": cmp.old_id,
        "new": cmp.new_id,
        "changes": [
            {
                "section": c.section,
                "title": c.title,
                "kind": c.kind,
                "old": c.old,
                "new": c.new,
                "spans": [{"op": s.op, "text": s.text} for s in c.spans],
                "reasons": list(cmp.reasons.get(k, [])),
            }
            for k, c in enumerate(cmp.changes)
        ],
        "glossary": cmp.glossary.as_data(),
        "unexplained": [f.as_data() for f in cmp.unexplained],
        "stale_reasons": [f.as_data() for f in cmp.stale_reasons],
        "quote_mismatches": [f.as_data() for f in cmp.quote_mismatches],
    }


def render_json(cmp: Comparison) -> str:
    return json.dumps(comparison_data(cmp), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("箇所", "見出し", "種別", "改版前", "改版後", "改版理由")


#: Leading characters that make a spreadsheet read a cell as a formula (or hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading ``=``, ``+``, ``-``, ``@``, tab or
    CR gets an apostrophe in front (the usual neutralisation; Excel hides the apostrophe)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render_csv(cmp: Comparison) -> str:
    """UTF-8 CSV with a BOM (so Excel reads the Japanese) and CRLF line ends; every cell
    is neutralised by :func:`csv_cell`, so no text becomes a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for k, c in enumerate(cmp.changes):
        row = [c.section, c.title, KIND_LABELS[c.kind], c.old, c.new,
               "\n".join(cmp.reasons.get(k, []))]  # fmt: skip
        writer.writerow([csv_cell(cell or "") for cell in row])
    if cmp.glossary.created:
        writer.writerow([GLOSSARY_SECTION, "", "新設", "", cmp.glossary.summary(), ""])
    for g in cmp.glossary.changes:
        writer.writerow([GLOSSARY_SECTION, g.term, GLOSSARY_KIND_LABELS[g.kind], g.old, g.new, ""])
    return "\ufeff" + buffer.getvalue()


# ---------------------------------------------------------------------------------------
# HTML 新旧対照表
# ---------------------------------------------------------------------------------------

SHINKYU_NOTE = "（傍線部分は改版部分、二重傍線部分は移動した部分です。）"

#: The table's stylesheet, also used by the site (one file: static/hoshin-shinkyu.css).
SHINKYU_CSS = (Path(__file__).parents[1] / "web" / "static" / "hoshin-shinkyu.css").read_text(
    encoding="utf-8"
)


def segments_html(cell: ShinkyuCell) -> str:
    """One 新旧対照表 cell as HTML: 傍線 as ``<del>``/``<ins>`` with words for screen readers."""
    if cell.placeholder:
        return f'<span class="hoshin-placeholder">{escape(cell.placeholder)}</span>'
    parts: list[str] = []
    for seg in cell.segments:
        text = escape(seg.text)
        if seg.mark == "del":
            parts.append(
                f'<del><span class="hoshin-sr">［削除：</span>{text}<span class="hoshin-sr">］</span></del>'
            )
        elif seg.mark == "ins":
            parts.append(
                f'<ins><span class="hoshin-sr">［追加：</span>{text}<span class="hoshin-sr">］</span></ins>'
            )
        elif seg.mark == "moved":
            parts.append(f'<span class="hoshin-moved">{text}</span>')
        else:
            parts.append(text)
    return "".join(parts)


def render_html_table(
    cmp: Comparison, columns: Sequence[Side] = ("old", "new"), *, reasons: bool = True
) -> str:
    """The 新旧対照表 as one accessible ``<table>`` (caption, scoped headers, del/ins)."""
    head = ['<th scope="col" class="hoshin-shinkyu-where">箇所</th>']
    head += [
        f'<th scope="col">{escape(SIDE_LABELS[side])}（{escape(cmp.old_id if side == "old" else cmp.new_id)}）</th>'
        for side in columns
    ]
    if reasons:
        head.append('<th scope="col" class="hoshin-shinkyu-reason">改版理由</th>')
    body: list[str] = []
    for row in shinkyu_rows(cmp, columns):
        where = escape(row.title or row.section)
        kind = escape(KIND_LABELS[row.kind])
        if row.kind == "moved" and row.old_section and row.old_section != row.section:
            kind += f"（{escape(row.old_section)} から）"
        cells = [
            f'<th scope="row" class="hoshin-shinkyu-where" id="shinkyu-{row.index + 1}">'
            f'{where}<span class="hoshin-kind">{kind}</span></th>'
        ]
        cells += [f'<td data-label="{SIDE_LABELS[side]}">{segments_html(cell)}</td>'
                  for side, cell in zip(columns, row.cells, strict=True)]  # fmt: skip
        if reasons:
            text = "<br>".join(escape(r) for r in row.reasons)
            cells.append(f'<td data-label="改版理由" class="hoshin-shinkyu-reason">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"新旧対照表（{escape(cmp.old_id)} → {escape(cmp.new_id)}）"
    return (
        '<table class="hoshin-shinkyu">\n'
        f"<caption>{caption}<br><small>{escape(SHINKYU_NOTE)}</small></caption>\n"
        f"<thead><tr>{''.join(head)}</tr></thead>\n"
        "<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
    )


def render_html(cmp: Comparison, columns: Sequence[Side] = ("old", "new")) -> str:
    """A standalone page (lang="ja") with the 新旧対照表 and the join's findings."""
    title = f"新旧対照表 {cmp.old_id} → {cmp.new_id}"
    dates = ""
    if cmp.old_date or cmp.new_date:
        dates = (
            f"<p>{escape(cmp.old_date or '日付未定')} → {escape(cmp.new_date or '日付未定')}</p>\n"
        )
    findings: list[str] = []
    for heading, items in (
        ("改版理由の記録がない変更", cmp.unexplained),
        ("変更のない箇所への改版理由", cmp.stale_reasons),
        ("本文と一致しない引用", cmp.quote_mismatches),
    ):
        if items:
            lis = "".join(f"<li>{escape(_finding_text(i))}</li>" for i in items)
            findings.append(f"<h2>{escape(heading)}（{len(items)}件）</h2>\n<ul>{lis}</ul>\n")
    empty = "<p>本文の変更はありません。</p>\n" if not cmp.changes else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n"
        "body { font-family: 'Noto Sans CJK JP', sans-serif; margin: 2em; line-height: 1.7; }\n"
        f"{SHINKYU_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(title)}</h1>\n{dates}"
        f"{empty}"
        f"{render_html_table(cmp, columns) if cmp.changes else ''}"
        f"{glossary_html(cmp.glossary, columns)}"
        f"{''.join(findings)}</main>\n</body>\n</html>\n"
    )


def glossary_html(glossary: GlossaryComparison, columns: Sequence[Side] = ("old", "new")) -> str:
    """The glossary section of a 新旧対照表 (the site's page and ``hoshin diff --format html``)."""
    if not glossary:
        return ""
    out = [f'<h2 id="glossary-changes">{escape(GLOSSARY_SECTION)}</h2>',
           f"<p>{escape(glossary.summary())}</p>"]  # fmt: skip
    if glossary.changes:
        head = "".join(f'<th scope="col">{escape(SIDE_LABELS[c])}</th>' for c in columns)
        rows = []
        for g in glossary.changes:
            cells = "".join(
                f'<td data-label="{SIDE_LABELS[c]}">{segments_html(glossary_cell(g, c))}</td>'
                for c in columns
            )
            rows.append(f'<tr><th scope="row">{escape(g.term)}'
                        f'<span class="hoshin-kind">{escape(GLOSSARY_KIND_LABELS[g.kind])}</span></th>'
                        f"{cells}</tr>")  # fmt: skip
        out.append('<div class="hoshin-table-scroll"><table class="hoshin-shinkyu hoshin-shinkyu-glossary">'
                   f"<caption>{escape(GLOSSARY_SECTION)}</caption>"
                   f'<thead><tr><th scope="col">用語</th>{head}</tr></thead>'
                   f"<tbody>{''.join(rows)}</tbody></table></div>")  # fmt: skip
    return "\n".join(out) + "\n"
