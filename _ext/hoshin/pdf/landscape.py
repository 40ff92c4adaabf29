"""Landscape runs in the PDF: no near-empty portrait page beside a landscape table.

A wide table is set on landscape pages (:class:`hoshin.pdf.tables.LongTables`), and
``landscape`` starts and ends with a page break. A few lines of portrait text between two
landscape tables (the 改版履歴's 新旧対照表 list between 版の一覧 and 改訂箇所), between a
chapter's start and its landscape table, or after the last landscape table of a chapter
were left alone on a portrait page. :func:`join_landscape_runs` turns such short text with
the tables: two runs separated by it become one, a run after it starts at the chapter's
heading, a run before it lasts to the chapter's end. Longer text keeps its portrait page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Portrait text up to this many characters (a few lines) turns with a landscape table.
SHORT_RUN_CHARS = 400
BEGIN_CLASS = "hoshin-landscape-begin"
END_CLASS = "hoshin-landscape-end"
#: Raw LaTeX that starts a page of its own (a part page, the back matter).
_HARD_BREAKS = (r"\hoshinpart", r"\hoshinbackmatter", r"\clearpage")
_BLOCKS = (nodes.figure, nodes.image, nodes.table)


def landscape_begin() -> nodes.raw:
    return nodes.raw(
        "",
        "\\begin{landscape}\\hoshinlandscapepages\\small\n",
        format="latex",
        classes=[BEGIN_CLASS],
    )


def landscape_end() -> nodes.raw:
    return nodes.raw("", "\\end{landscape}\n", format="latex", classes=[END_CLASS])


def _chapter_of(node: nodes.Node) -> nodes.section | None:
    """The chapter holding ``node``: its outermost section (by ``doctree-resolved`` the
    assembled tree holds each document's top section, a chapter, at its top level)."""
    chapter = None
    parent = node if isinstance(node, nodes.section) else node.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            chapter = parent
        parent = parent.parent
    return chapter


def _events(doctree: nodes.document) -> list[tuple[str, nodes.Node, int]]:
    """Landscape marks, chapter starts, page breaks, blocks and text, in document order."""
    events: list[tuple[str, nodes.Node, int]] = []
    landscape = False
    for node in doctree.findall():
        if isinstance(node, nodes.raw):
            classes = node.get("classes", [])
            if BEGIN_CLASS in classes:
                events.append(("begin", node, 0))
                landscape = True
            elif END_CLASS in classes:
                events.append(("end", node, 0))
                landscape = False
            elif node.get("format") == "latex" and any(b in node.astext() for b in _HARD_BREAKS):
                events.append(("break", node, 0))
        elif isinstance(node, nodes.section) and _chapter_of(node) is node:
            events.append(("chapter", node, 0))
        elif isinstance(node, _BLOCKS) and not landscape:
            events.append(("block", node, 0))
        elif isinstance(node, nodes.Text) and not isinstance(node.parent, nodes.raw):
            chars = len("".join(node.astext().split()))
            if chars:
                events.append(("text", node, chars))
    return events


def _short_gap(
    events: list[tuple[str, nodes.Node, int]], start: int, step: int
) -> tuple[int, int] | None:
    """From ``start`` (exclusive), walking by ``step``: (index of the first mark, chars of
    text before it), or None when the text is long or a block sits in between."""
    chars = 0
    i = start + step
    while 0 <= i < len(events):
        kind, _, size = events[i]
        if kind == "text":
            chars += size
            if chars > SHORT_RUN_CHARS:
                return None
        elif kind == "block":
            return None
        else:
            return i, chars
        i += step
    return i, chars


def _join_once(doctree: nodes.document) -> bool:
    events = _events(doctree)
    for index, (kind, node, _) in enumerate(events):
        if kind == "begin":
            if index + 1 < len(events) and events[index + 1][0] == "chapter":
                continue  # already at the start of its chapter
            gap = _short_gap(events, index, -1)
            if gap is None or gap[0] < 0:
                continue
            mark, mark_node, _ = events[gap[0]]
            if mark == "end":  # two runs with a few lines between: one run
                mark_node.parent.remove(mark_node)
                node.parent.remove(node)
                return True
            if mark == "chapter" and gap[1]:  # the chapter's first lines turn too
                node.parent.remove(node)
                mark_node.parent.insert(mark_node.parent.index(mark_node), node)
                return True
        elif kind == "end":
            gap = _short_gap(events, index, 1)
            if gap is None or not gap[1]:
                continue
            at = gap[0]
            if at >= len(events) or events[at][0] in ("chapter", "break"):
                chapter = _chapter_of(node)
                if chapter is not None and chapter[-1] is not node:
                    node.parent.remove(node)
                    chapter += node  # the chapter's last lines turn too
                    return True
    return False


def join_landscape_runs(doctree: nodes.document) -> None:
    """Turn short portrait text beside landscape tables with them (see the module doc)."""
    for _ in range(100):
        if not _join_once(doctree):
            return


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format == "latex" and docname == app.config.root_doc:
        join_landscape_runs(doctree)


def setup_landscape(app: Sphinx) -> None:
    # After hoshin.pdf.extension._arrange has put the appendices and back matter in place.
    app.connect("doctree-resolved", _on_doctree_resolved, priority=600)
