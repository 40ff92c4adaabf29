"""「意見の概要と市の考え方」 of one event as a LaTeX document: A4 portrait, the city's layout.

The same :class:`~hoshin.opinions.render.ResultTable` as the web page and the office files
(so nothing private can reach it): title, what was asked and when, the counts by
disposition, then the table with its header repeated on every page. The ``.tex`` carries its
own preamble (upLaTeX, ujarticle, Harano Aji fonts embedded); every piece of text goes
through :func:`hoshin.core.latextext.escape`.

Pure Python (no Sphinx): typeset by the CLI's PDF stage.
"""

from __future__ import annotations

import dataclasses

from hoshin.core.latextext import escape, longtable_start
from hoshin.opinions.render import ResultTable, counts_sentence, event_facts

#: Preamble of the document (what a style file would hold; kept here so the PDF needs
#: nothing but this one file).
PREAMBLE = r"""\documentclass[a4paper,10pt,dvipdfmx]{ujarticle}
\usepackage[haranoaji]{pxchfon}
\usepackage[T1]{fontenc}
\usepackage{tgtermes}
\usepackage{tgheros}
\usepackage[margin=20mm,top=22mm,bottom=22mm]{geometry}
\usepackage{longtable}
\usepackage{array}
\usepackage{fancyhdr}
\usepackage[pdflang={ja},bookmarks=false]{hyperref}
\usepackage{pxjahyper}
\setlength{\parindent}{0pt}
\setlength{\LTpre}{0.5zw}
\setlength{\LTpost}{0pt}
\renewcommand{\arraystretch}{1.25}
\newcolumntype{H}[1]{>{\raggedright\arraybackslash}p{#1}}
\newcolumntype{J}[1]{>{\arraybackslash}p{#1}}
\pagestyle{fancy}
\fancyhf{}
\renewcommand{\headrulewidth}{0pt}
\fancyfoot[C]{\small\thepage}"""

#: Columns typeset ragged right (short words that must not be justified apart).
_RAGGED = frozenset({"No.", "対応区分", "関連する改訂箇所", "関係する節"})


@dataclasses.dataclass(frozen=True)
class ResultHeading:
    """What the page says about itself: the document's title, the issuer, the edition mark."""

    title: str
    issuer: str
    #: 「審議用」 on the review edition's PDFs (:mod:`hoshin.core.edition`), else empty.
    mark: str = ""


def _col(share: float, kind: str) -> str:
    return rf"{kind}{{\dimexpr {share:.4f}\linewidth-2\tabcolsep-1.2\arrayrulewidth\relax}}"


def _cell(text: str) -> str:
    return r"\par ".join(escape(line) for line in text.split("\n"))


def _head(text: str) -> str:
    """A header cell; a long name (関連する改訂箇所) on two lines, so its column stays narrow."""
    if len(text) <= 6:
        return escape(text)
    half = len(text) // 2
    return rf"\shortstack{{{escape(text[:half])}\\{escape(text[half:])}}}"


def render_result_latex(table: ResultTable, heading: ResultHeading) -> str:
    """The whole ``.tex`` source of the published result table of ``table.event``."""
    total = sum(table.widths)
    spec = "|".join(
        _col(w / total, "H" if h in _RAGGED else "J")
        for h, w in zip(table.headers, table.widths, strict=True)
    )
    head = " & ".join(
        rf"\multicolumn{{1}}{{{'|' if i == 0 else ''}c|}}{{\gtfamily {_head(h)}}}"
        for i, h in enumerate(table.headers)
    )
    ncols = len(table.headers)
    mark = escape(heading.mark)
    title = escape(table.title)
    lines = [
        PREAMBLE,
        rf"\hypersetup{{pdftitle={{{escape(heading.title)} {title}}},"
        rf" pdfauthor={{{escape(heading.issuer)}}}, pdfsubject={{{title}}}, pdfcreator={{hoshin}}}}",
        *([rf"\fancyhead[R]{{\small\gtfamily {mark}}}"] if mark else []),
        r"\begin{document}",
        *([rf"\noindent\hfill{{\large\gtfamily\fbox{{{mark}}}}}\par"] if mark else []),
        rf"\begin{{center}}{{\Large\gtfamily\sffamily {title}\par}}\vspace{{0.4zw}}"
        rf"{escape(heading.title)}\end{{center}}",
        rf"\hfill {escape(heading.issuer)}\par\vspace{{0.6zw}}",
    ]
    for name, text in event_facts(table.event):
        lines.append(rf"\noindent{{\gtfamily {escape(name)}}}：{escape(text)}\par")
    lines.append(rf"\vspace{{0.4zw}}\noindent {escape(counts_sentence(table))}\par")
    lines += longtable_start(spec, head, ncols)
    for row in table.rows:
        lines.append(" & ".join(_cell(c) for c in row) + r"\\ \hline")
    lines += [r"\end{longtable}", r"\end{document}", ""]
    return "\n".join(lines)
