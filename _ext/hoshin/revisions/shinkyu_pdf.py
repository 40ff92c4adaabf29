"""The 新旧対照表 as a LaTeX document: A4 landscape, 改版前 | 改版後, 傍線 on the changes.

Pure Python (no Sphinx): the rows come from :func:`hoshin.revisions.render.shinkyu_rows`, every
piece of text goes through :mod:`hoshin.core.latextext` (escaped; changed parts underlined with
breakable CJK underlines, moved text double-underlined), and the column order follows
``hoshin_shinkyu_columns`` (the seed runs 改版前 → 改版後; legislative tables often put the
new text first).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from hoshin.core.glossarydiff import KIND_LABELS as GLOSSARY_KIND_LABELS
from hoshin.core.glossarydiff import SECTION_TITLE as GLOSSARY_SECTION
from hoshin.core.glossarydiff import GlossaryComparison
from hoshin.core.latextext import escape, longtable_start, underline
from hoshin.core.recordtext import paragraphs
from hoshin.revisions.compare import Comparison
from hoshin.revisions.pairinfo import HEADING, INTRO, NO_NEW, NO_OLD, UnshownRecord
from hoshin.revisions.render import (
    KIND_LABELS,
    SIDE_LABELS,
    ShinkyuCell,
    glossary_cell,
    shinkyu_rows,
)

#: The note printed above the table (and the reason a reader can trust black and white).
NOTE = "傍線（下線）を付した部分が改版による変更箇所です。二重傍線を付した部分は移動した箇所です。"
NO_CHANGES = "二つの版の本文に違いはありません。"
NO_REASON = "（記録なし）"

#: Shares of the line for No., 箇所, each text column and 改版理由.
_WIDTHS = {"no": 0.045, "where": 0.135, "text": 0.30, "reason": 0.22}


@dataclasses.dataclass(frozen=True)
class ShinkyuHeading:
    """What the page says about the pair: document, issuer, and each version's label."""

    title: str
    issuer: str
    old_label: str
    new_label: str
    #: 「審議用」 on the review edition's PDFs (:mod:`hoshin.core.edition`), else empty.
    mark: str = ""


def _col(share: float, kind: str = "J") -> str:
    return rf"{kind}{{\dimexpr {share}\linewidth-2\tabcolsep-1.2\arrayrulewidth\relax}}"


def _text(text: str, mark: str) -> str:
    """One segment: plain text escaped, changes underlined; newlines become paragraphs."""
    parts = text.split("\n")
    if mark in ("del", "ins"):
        rendered = [underline(p) for p in parts]
    elif mark == "moved":
        rendered = [underline(p, double=True) for p in parts]
    else:
        rendered = [escape(p) for p in parts]
    return r"\par ".join(rendered)


def render_cell(cell: ShinkyuCell) -> str:
    if cell.placeholder:
        return rf"\hoshinplaceholder{{{escape(cell.placeholder)}}}"
    return "".join(_text(seg.text, seg.mark) for seg in cell.segments)


def render_shinkyu_latex(
    cmp: Comparison,
    heading: ShinkyuHeading,
    columns: Sequence[str] = ("old", "new"),
    *,
    document_wide: Sequence[str] = (),
    unshown: Sequence[UnshownRecord] = (),
) -> str:
    """The whole ``.tex`` source of the 新旧対照表 of ``cmp``."""
    sides = [c for c in columns if c in SIDE_LABELS] or ["old", "new"]
    rows = shinkyu_rows(cmp, sides)  # type: ignore[arg-type]
    spec = "|".join(
        [
            _col(_WIDTHS["no"], "H"),
            _col(_WIDTHS["where"], "H"),
            *[_col(_WIDTHS["text"]) for _ in sides],
            _col(_WIDTHS["reason"], "H"),
        ]
    )
    labels = ["No.", "箇所", *[SIDE_LABELS[s] for s in sides], "改版理由"]
    head = " & ".join(rf"\multicolumn{{1}}{{{'|' if i == 0 else ''}c|}}{{\gtfamily {lab}}}"
                      for i, lab in enumerate(labels))  # fmt: skip
    ncols = len(labels)
    title = escape(heading.title)
    mark = escape(heading.mark)  # 審議用: on top of the first page and in every page's head
    mark_head = [rf"\fancyhead[R]{{\small\gtfamily {mark}}}"] if mark else []
    mark_top = [rf"\noindent\hfill{{\large\gtfamily\fbox{{{mark}}}}}\par"] if mark else []
    lines = [
        r"\documentclass[a4paper,10pt,dvipdfmx]{ujarticle}",
        r"\usepackage{hoshinshinkyu}",
        rf"\hypersetup{{pdftitle={{{title} 新旧対照表}}, pdfauthor={{{escape(heading.issuer)}}},"
        rf" pdfsubject={{{escape(heading.old_label)} → {escape(heading.new_label)}}},"
        r" pdfcreator={hoshin}}",
        *mark_head,
        r"\begin{document}",
        *mark_top,
        rf"{{\Large\gtfamily\sffamily {title}\quad 新旧対照表\par}}\vspace{{0.6zw}}",
        rf"改版前：{escape(heading.old_label)}\qquad 改版後：{escape(heading.new_label)}"
        rf"\hfill {escape(heading.issuer)}\par\vspace{{0.4zw}}",
        rf"{{\small {escape(NOTE)}\par}}",
        *[rf"{{\small 全体に係る改版：{escape(w)}\par}}" for w in document_wide],
        *longtable_start(spec, head, ncols),
    ]
    if not rows:
        lines.append(rf"\multicolumn{{{ncols}}}{{|c|}}{{{escape(NO_CHANGES)}}}\\ \hline")
    for number, row in enumerate(rows, start=1):
        where = escape(row.title or row.section)
        kind = escape(KIND_LABELS.get(row.kind, row.kind))
        reasons = r"\par ".join(escape(r) for r in row.reasons) or escape(NO_REASON)
        cells = [
            str(number),
            rf"{where}\par{{\footnotesize （{kind}）}}",
            *[render_cell(c) for c in row.cells],
            reasons,
        ]
        lines.append(" & ".join(cells) + r"\\ \hline")
    lines.append(r"\end{longtable}")
    if unshown:
        lines += _unshown_table(unshown, sides)
    if cmp.glossary:
        lines += _glossary_table(cmp.glossary, sides)
    lines += [r"\end{document}", ""]
    return "\n".join(lines)


def _quoted(text: str | None, missing: str) -> str:
    return r"\par ".join(escape(p) for p in paragraphs(text)) or escape(missing)


def _unshown_table(unshown: Sequence[UnshownRecord], sides: Sequence[str]) -> list[str]:
    """Records no row shows (no old wording, whole document, unchanged text), and why."""
    spec = "|".join([_col(0.045, "H"), _col(0.13, "H"), *[_col(0.245) for _ in sides],
                     _col(0.165, "H"), _col(0.17, "H")])  # fmt: skip
    labels = ["No.", "箇所", *[f"{SIDE_LABELS[s]}（表の記載）" for s in sides], "改版理由",
              "対照表に現れない理由"]  # fmt: skip
    head = " & ".join(rf"{{\gtfamily {escape(lab)}}}" for lab in labels) + r"\\ \hline"
    lines = [
        rf"\par\vspace{{1zw}}{{\large\gtfamily\sffamily {escape(HEADING)}\par}}\vspace{{0.3zw}}",
        rf"{{\small {escape(INTRO)}\par}}",
        rf"\begin{{longtable}}{{|{spec}|}}",
        r"\hline", head, r"\endfirsthead", r"\hline", head, r"\endhead",
    ]  # fmt: skip
    for item in unshown:
        r = item.record
        texts = {"old": _quoted(r.old, NO_OLD), "new": _quoted(r.new, NO_NEW)}
        cells = [f"No.{r.no}", escape(item.where), *[texts[s] for s in sides],
                 escape(r.reason_display), escape(item.why)]  # fmt: skip
        lines.append(" & ".join(cells) + r"\\ \hline")
    lines.append(r"\end{longtable}")
    return lines


def _glossary_table(glossary: GlossaryComparison, sides: Sequence[str]) -> list[str]:
    """The glossary's changes, a section of their own after the text (the one rule of
    :mod:`hoshin.core.glossarydiff`)."""
    lines = [
        rf"\par\vspace{{1zw}}{{\large\gtfamily\sffamily {escape(GLOSSARY_SECTION)}\par}}\vspace{{0.3zw}}",
        rf"{{\small {escape(glossary.summary())}\par}}",
    ]
    if not glossary.changes:
        return lines
    spec = "|".join([_col(0.18, "H"), *[_col(0.41) for _ in sides]])
    labels = ["用語", *[SIDE_LABELS[s] for s in sides]]
    head = " & ".join(rf"{{\gtfamily {escape(lab)}}}" for lab in labels) + r"\\ \hline"
    lines += [rf"\begin{{longtable}}{{|{spec}|}}", r"\hline", head, r"\endfirsthead",
              r"\hline", head, r"\endhead"]  # fmt: skip
    for change in glossary.changes:
        kind = escape(GLOSSARY_KIND_LABELS[change.kind])
        texts = [render_cell(glossary_cell(change, side)) for side in sides]  # type: ignore[arg-type]
        cells = [rf"{escape(change.term)}\par{{\footnotesize （{kind}）}}", *texts]
        lines.append(" & ".join(cells) + r"\\ \hline")
    lines.append(r"\end{longtable}")
    return lines
