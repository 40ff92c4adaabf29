"""Tables whose rows may be taller than a page, as LaTeX ``longtable`` source (pure Python).

A ``longtable`` breaks between rows, never inside one: a record whose quoted 改版前 and 改版後
run to a page and a half (the seed's No.10) is cut at the bottom of the page and its last
paragraphs are lost. :func:`breakable_longtable` therefore sets each record as several
table rows: one per paragraph, the *n*-th paragraph of every cell side by side (so the old
and new wording of a paragraph stay level), and a paragraph longer than
:data:`SPLIT_CHARS` is cut further at sentence ends. Rules are drawn between records only,
so the rows of one record read as one row; the page may break between any two of them,
and the header repeats on every page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hoshin.core.latextext import escape

#: A paragraph longer than this many characters becomes several rows (cut after 。).
SPLIT_CHARS = 180
_SENTENCE_END = re.compile(r"(?<=[。！？])")
CONTINUED_HEAD = "（前のページからの続き）"
CONTINUED_FOOT = "（次のページに続く）"


def split_paragraph(text: str, limit: int = SPLIT_CHARS) -> list[str]:
    """``text`` in pieces of at most about ``limit`` characters, cut only after 。！？."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in _SENTENCE_END.split(text) if s):
        if current and len(current) + len(sentence) > limit:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return pieces


def record_rows(cells: Sequence[Sequence[str]]) -> list[list[str]]:
    """The table rows of one record: its cells (each a list of paragraphs) side by side.

    Row *k* holds piece *k* of every cell's paragraphs, paragraph by paragraph: the pieces
    of paragraph *i* of every cell start on the same row.
    """
    count = max((len(c) for c in cells), default=0)
    rows: list[list[str]] = []
    for i in range(max(count, 1)):
        pieces = [split_paragraph(c[i]) if i < len(c) else [] for c in cells]
        height = max((len(p) for p in pieces), default=0)
        for j in range(max(height, 1)):
            rows.append([p[j] if j < len(p) else "" for p in pieces])
    return rows


def _column(width: float, total: float, columns: int) -> str:
    share = f"{width / total:.4f}"
    return (
        r">{\raggedright\arraybackslash}p{\dimexpr "
        rf"{share}\linewidth-2\tabcolsep-{(columns + 1) / columns:.3f}\arrayrulewidth\relax}}"
    )


def breakable_longtable(
    headers: Sequence[str],
    records: Sequence[Sequence[Sequence[str]]],
    widths: Sequence[float],
    *,
    title: str = "",
    targets: Sequence[str] = (),
) -> str:
    """A ``longtable`` of ``records`` (each a list of cells, each a list of paragraphs).

    ``widths`` are relative column widths; every text is escaped. ``targets`` (LaTeX, one
    per record, e.g. ``\\label``) go at the start of each record's first cell.
    """
    n = len(headers)
    total = float(sum(widths)) or 1.0
    spec = "|" + "|".join(_column(w, total, n) for w in widths) + "|"
    head = " & ".join(rf"{{\gtfamily\bfseries {escape(h)}}}" for h in headers) + r"\\ \hline"
    lines = [rf"\begin{{longtable}}[c]{{{spec}}}"]
    if title:
        lines.append(rf"\caption{{{escape(title)}}}\\")
    lines += [r"\hline", head, r"\endfirsthead"]
    continued = escape(f"{title}{CONTINUED_HEAD}" if title else CONTINUED_HEAD)
    lines += [rf"\multicolumn{{{n}}}{{c}}{{\small {continued}}}\\", r"\hline", head, r"\endhead"]
    lines += [r"\hline", rf"\multicolumn{{{n}}}{{r}}{{\small {escape(CONTINUED_FOOT)}}}\\",
              r"\endfoot", r"\hline", r"\endlastfoot"]  # fmt: skip
    for k, record in enumerate(records):
        rows = record_rows(record)
        for j, row in enumerate(rows):
            end = r"\\" if j < len(rows) - 1 else (r"\\ \hline" if k < len(records) - 1 else r"\\")
            cells = [escape(text) for text in row]
            if j == 0 and k < len(targets):
                cells[0] = targets[k] + cells[0]
            lines.append(" & ".join(cells) + end)
    lines.append(r"\end{longtable}")
    return "\n".join(lines) + "\n"
