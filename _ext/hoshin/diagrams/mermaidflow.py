"""Read a hand-written mermaid flowchart back into a :class:`~hoshin.diagrams.flows.Flow`.

A ``{mermaid}`` block has no YAML behind it, so its text alternative is derived from the
mermaid text itself when that is a plain flowchart: nodes (``A[label]``, ``A(label)``,
``A{label}``, ``A([label])``, ``A((label))``), edges (``-->``, ``---``, ``-.->``, ``==>``,
with ``|label|`` or ``-- label -->``) and chains of them. Anything else (other diagram
types, subgraphs, classes, click handlers) makes the reader give up: the diagram then keeps
only its ``:alt:`` or caption as text. Nothing here imports Sphinx.
"""

from __future__ import annotations

import re

from hoshin.diagrams.flows import Edge, Flow, Step

_HEADER = re.compile(r"^(?:flowchart|graph)(?:\s+(TB|TD|BT|LR|RL))?\s*;?$")
#: Node shapes: opening bracket -> (closing bracket, step kind).
_SHAPES = (
    ("([", "])", "start"),
    ("((", "))", "task"),
    ("[[", "]]", "task"),
    ("{{", "}}", "decision"),
    ("[", "]", "task"),
    ("(", ")", "task"),
    ("{", "}", "decision"),
    (">", "]", "task"),
)
_ID = re.compile(r"[A-Za-z0-9_\u3040-\u30ff\u4e00-\u9fff-]+?(?=[\[({>\s;&|-]|=|\.|$)")
_LINK = re.compile(
    r"\s*(?:"
    r"(?:--|==|-\.)\s*(?P<mid>[^->|=.][^|]*?)\s*(?:-->|==>|\.->|---|===)"  # A -- text --> B
    r"|(?P<arrow>-->|---|==>|===|-\.->|-\.-)\s*(?:\|(?P<label>[^|]*)\|)?"  # A -->|text| B
    r")\s*"
)
_IGNORED = re.compile(r"^(?:%%.*|)$")


class _Unsupported(ValueError):
    """Syntax the reader does not handle: no text alternative is derived."""


def read_flowchart(code: str, title: str = "") -> Flow | None:
    """The flowchart ``code`` as a Flow (one lane), or None when it is not a plain flowchart."""
    lines = [ln.strip() for ln in _drop_front_matter(code).splitlines()]
    lines = [ln for ln in lines if not _IGNORED.match(ln)]
    if not lines:
        return None
    header = _HEADER.match(lines[0])
    if header is None:
        return None
    labels: dict[str, tuple[str, str]] = {}
    order: list[str] = []
    edges: list[Edge] = []
    try:
        for line in lines[1:]:
            for statement in filter(None, (s.strip() for s in line.split(";"))):
                _read_statement(statement, labels, order, edges)
    except _Unsupported:
        return None
    if not order:
        return None
    steps = tuple(
        Step(
            id=ident, label=labels.get(ident, (ident, "task"))[0], kind=_kind(ident, labels, edges)
        )
        for ident in order
    )
    direction = header.group(1) or "TB"
    return Flow(title=title, lanes=(), steps=steps, edges=tuple(edges), direction=direction)


def _drop_front_matter(code: str) -> str:
    stripped = code.lstrip()
    if stripped.startswith("---"):
        parts = stripped.split("\n---", 1)
        if len(parts) == 2:
            return parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    return code


def _kind(ident: str, labels: dict[str, tuple[str, str]], edges: list[Edge]) -> str:
    kind = labels.get(ident, ("", "task"))[1]
    if kind != "start":
        return kind
    # A stadium shape is a terminal: the end when nothing leaves it, else the start.
    return "start" if any(e.source == ident for e in edges) else "end"


def _read_statement(
    statement: str, labels: dict[str, tuple[str, str]], order: list[str], edges: list[Edge]
) -> None:
    if statement.split()[0] in ("subgraph", "end", "classDef", "class", "click", "style"):
        raise _Unsupported(statement)
    rest = statement
    previous: str | None = None
    label = ""
    while True:
        ident, rest = _read_node(rest, labels, order)
        if previous is not None:
            edges.append(Edge(source=previous, target=ident, label=label))
        if not rest:
            return
        link = _LINK.match(rest)
        if link is None or link.end() == 0:
            raise _Unsupported(statement)
        label = (link.group("mid") or link.group("label") or "").strip()
        previous, rest = ident, rest[link.end() :]


def _read_node(text: str, labels: dict[str, tuple[str, str]], order: list[str]) -> tuple[str, str]:
    match = _ID.match(text)
    if match is None:
        raise _Unsupported(text)
    ident, rest = match.group(0), text[match.end() :]
    for opening, closing, kind in _SHAPES:
        if rest.startswith(opening):
            end = rest.find(closing, len(opening))
            if end < 0:
                raise _Unsupported(text)
            label = rest[len(opening) : end].strip().strip('"')
            labels[ident] = (_plain(label), kind)
            rest = rest[end + len(closing) :]
            break
    if ident not in order:
        order.append(ident)
    return ident, rest.strip()


def _plain(label: str) -> str:
    """A label as text: ``<br>`` becomes a line break, other markup is dropped."""
    label = re.sub(r"<br\s*/?>", "\n", label, flags=re.I)
    return re.sub(r"<[^>]+>", "", label)
