"""Tables in the PDF: every table a ``longtable``, columns sized from their content.

A longtable breaks across pages and repeats its header rows on each page. Sphinx gives a
longtable equal columns unless widths are given; a policy table with one long column of
Japanese prose and a few short ones then wraps the short ones character by character.
hoshin sizes the columns like a browser's automatic table layout (:func:`share_line`) and
turns tables of seven or more columns sideways (a landscape page, small type), where
portrait A4 would leave every column a few characters wide.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from hoshin.pdf.landscape import landscape_begin, landscape_end
from hoshin.pdf.rowsplit import breakable_longtable

#: Text width of the PDF's body in half-width cells (A4, 11 pt, Sphinx's margins): portrait,
#: and a landscape page in \small type.
LINE_CELLS = 82
LANDSCAPE_CELLS = 137
#: A table with this many columns goes on a landscape page.
LANDSCAPE_COLUMNS = 7
#: Cell padding (2 \tabcolsep) in cells; the narrowest a long column gets; the width beyond
#: which more room does not help a column of prose.
COLUMN_PADDING = 3
FLOOR = 8
CAP = 60
#: Tables with this class are set row by row (:mod:`hoshin.pdf.rowsplit`): a row taller
#: than a page breaks between its paragraphs instead of running off the page.
BREAKABLE_CLASS = "hoshin-breakable-rows"


def display_width(text: str) -> int:
    """Width in half-width cells (half a 全角): wide characters 2, Latin capitals 1.5, else 1."""
    cells = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            cells += 2
        elif ch.isascii() and (ch.isupper() or ch.isdigit()):
            cells += 1.5
        else:
            cells += 1
    return math.ceil(cells)


def natural_widths(tgroup: nodes.tgroup) -> list[int]:
    """Each column's widest cell (spanning cells ignored), padding included."""
    count = int(tgroup.get("cols", 0))
    widest = [0] * count
    for row in tgroup.findall(nodes.row):
        col = 0
        for entry in row.children:
            span = int(entry.get("morecols", 0)) + 1
            if span == 1 and col < count:
                widest[col] = max(widest[col], display_width(entry.astext()))
            col += span
    return [w + COLUMN_PADDING for w in widest]


def share_line(natural: list[int], line: int) -> list[int]:
    """Column widths for a line of ``line`` cells, like a browser's automatic table layout.

    Everything fits: natural widths. Otherwise columns narrower than an equal share keep
    their natural width (repeatedly, as the share grows); the wide ones get at least
    ``FLOOR`` cells each and the rest of the line in proportion to how much more they want,
    counting at most ``CAP`` cells (beyond that, prose simply wraps).
    """
    if not natural or sum(natural) <= line:
        return list(natural)
    widths = [0.0] * len(natural)
    open_cols = list(range(len(natural)))
    remaining = float(line)
    while open_cols:
        share = remaining / len(open_cols)
        narrow = [i for i in open_cols if natural[i] <= share]
        if not narrow:
            break
        for i in narrow:
            widths[i] = natural[i]
            remaining -= natural[i]
        open_cols = [i for i in open_cols if i not in narrow]
    if open_cols:
        floors = {i: min(natural[i], FLOOR) for i in open_cols}
        extra = max(remaining - sum(floors.values()), 0.0)
        desire = {i: max(min(natural[i], CAP) - floors[i], 0) for i in open_cols}
        wanted = sum(desire.values())
        scale = extra / wanted if wanted > extra else 1.0
        for i in open_cols:
            widths[i] = floors[i] + desire[i] * scale
        if wanted < extra:  # every column has what it wants: the rest to the longest
            widths[max(open_cols, key=lambda i: natural[i])] += extra - wanted
    return [max(1, round(w)) for w in widths]


def _raw(latex: str) -> nodes.raw:
    return nodes.raw("", latex + "\n", format="latex")


class LongTables(SphinxPostTransform):
    """Every table breaks across pages (header repeated); columns sized by their content."""

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            if "longtable" not in table["classes"]:
                table["classes"].append("longtable")
            tgroups = list(table.findall(nodes.tgroup))
            cols = max((int(t.get("cols", 0)) for t in tgroups), default=0)
            sideways = cols >= LANDSCAPE_COLUMNS and isinstance(table.parent, nodes.section)
            heading = _headed_by(table)
            if sideways:
                # The headings the table sits right under turn with it (else they are left
                # alone on a portrait page).
                start = heading or table
                parent = table.parent
                parent.insert(parent.index(table) + 1, landscape_end())
                start.parent.insert(start.parent.index(start), landscape_begin())
            elif heading is not None:
                _keep_with_heading(heading)
            if "colwidths-given" not in table["classes"]:
                line = LANDSCAPE_CELLS if sideways else LINE_CELLS
                for tgroup in tgroups:
                    widths = share_line(natural_widths(tgroup), line)
                    for colspec, width in zip(tgroup.findall(nodes.colspec), widths, strict=False):
                        colspec["colwidth"] = width
                if tgroups:
                    table["classes"].append("colwidths-given")
            if BREAKABLE_CLASS in table["classes"] and len(tgroups) == 1:
                table.replace_self(_raw(_breakable_latex(table, tgroups[0])))


def _headed_by(table: nodes.table) -> nodes.section | None:
    """The outermost section whose text begins with ``table``: only headings before it."""

    def only_heading_before(section: nodes.Element, child: nodes.Node) -> bool:
        before = section.children[: section.index(child)]
        return all(isinstance(c, nodes.title | nodes.target) for c in before)

    found = None
    child: nodes.Node = table
    section = table.parent
    while isinstance(section, nodes.section) and only_heading_before(section, child):
        found, child, section = section, section, section.parent
    return found


def _keep_with_heading(section: nodes.section) -> None:
    """A table right under a heading starts on the heading's page: ask for room for the
    heading and a few rows before it (``\\needspace``), so that the page breaks before the
    heading rather than between it and its table."""
    if section.parent is not None:
        section.parent.insert(section.parent.index(section), _raw(r"\needspace{12\baselineskip}"))


def _paragraphs(entry: nodes.Element) -> list[str]:
    """The paragraphs of a cell as plain text (anything else as one paragraph)."""
    texts = [child.astext().strip() for child in entry.children]
    return [t for t in texts if t]


def _docname(node: nodes.Node) -> str:
    parent = node.parent
    while parent is not None and not isinstance(parent, addnodes.start_of_file):
        parent = parent.parent
    return str(parent["docname"]) if parent is not None else ""


def _breakable_latex(table: nodes.table, tgroup: nodes.tgroup) -> str:
    """``table`` as a :func:`~hoshin.pdf.rowsplit.breakable_longtable` (row ids as targets)."""
    headers = [e.astext().strip() for e in next(tgroup.findall(nodes.thead)).findall(nodes.entry)]
    records: list[list[list[str]]] = []
    targets: list[str] = []
    docname = _docname(table)
    for tbody in tgroup.findall(nodes.tbody):
        for row in tbody.findall(nodes.row):
            records.append([_paragraphs(e) for e in row.findall(nodes.entry)])
            labels = (rf"\label{{\detokenize{{{docname}:{i}}}}}" for i in row["ids"])
            targets.append(r"\phantomsection" + "".join(labels) if row["ids"] else "")
    widths = [float(c.get("colwidth", 1)) for c in tgroup.findall(nodes.colspec)]
    title = next((t.astext() for t in table.children if isinstance(t, nodes.title)), "")
    return breakable_longtable(headers, records, widths, title=title, targets=targets)
