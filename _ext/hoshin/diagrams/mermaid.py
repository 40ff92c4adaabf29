"""A chart as mermaid flowchart text, every label escaped so that nothing is interpreted.

Labels go inside double quotes with every ASCII sign turned into mermaid's entity code
(``#35;`` …): quotes, brackets, ``<``, ``#``, ``;``, ``-->``, ``%%`` and markdown signs are
shown as written. Node ids are ours (``n_<id>``, ``m_<id>``, ``g_<id>``), never user text,
so mermaid keywords such as ``end`` cannot break a diagram. Nothing here imports Sphinx.
"""

from __future__ import annotations

import functools
import string
import unicodedata
from collections.abc import Iterable
from typing import Any

from hoshin.diagrams.flows import Chart, Edge, Flow, Member, OrgChart, Step

#: ASCII characters that may stand in a quoted mermaid label as they are.
_SAFE_ASCII = frozenset(string.ascii_letters + string.digits + " .,/!?@+")
#: Characters mermaid itself uses as placeholders while decoding entity codes.
_MERMAID_PLACEHOLDERS = frozenset("ﬂ°¶ß")


#: A label line longer than this (in full-width characters) is broken at phrase boundaries.
#: Mermaid wraps a label wider than its ``wrappingWidth`` (200 px, 12 characters at 16 px)
#: anywhere, even inside a word (「技術面か／ら、」, 「完／了」).
LABEL_LINE = 8


def _width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in text)


@functools.cache
def _phrase_parser() -> Any:
    import budoux

    return budoux.load_default_japanese_parser()


def wrap_label(text: str, line: float = LABEL_LINE) -> str:
    """``text`` with a line break between phrases (BudouX) wherever a line would exceed
    ``line`` full-width characters; the author's own line breaks stay. A single phrase
    longer than a line is left whole."""
    out: list[str] = []
    for source_line in text.strip().split("\n"):
        if _width(source_line) <= line:
            out.append(source_line)
            continue
        current = ""
        for phrase in _phrase_parser().parse(source_line):
            if current and _width(current + phrase) > line:
                out.append(current)
                current = phrase.lstrip()
            else:
                current += phrase
        out.append(current)
    return "\n".join(out)


def escape_label(text: str) -> str:
    """Quote-safe mermaid label text: every ASCII sign becomes an entity code (``#35;``).

    Mermaid decodes ``#<number>;`` to the character, so quotes, brackets, ``<``, ``#``,
    ``;``, ``-->``, ``%%`` and markdown signs are shown, never interpreted. Line breaks
    become ``<br>``, the only markup we emit; other control characters are dropped.
    """
    out: list[str] = []
    for ch in text.strip():
        if ch == "\n":
            out.append("<br>")
        elif ch in _SAFE_ASCII:
            out.append(ch)
        elif ord(ch) < 128 or ch in _MERMAID_PLACEHOLDERS:
            out.append(" " if ch in "\t\r" else f"#{ord(ch)};" if ch.isprintable() else "")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            continue
        else:
            out.append(ch)
    return "".join(out)


_SHAPES = {"start": '("{}")', "task": '["{}"]', "decision": '{{"{}"}}', "end": '("{}")'}
_ARROWS = {"arrow": "-->", "line": "---", "dotted": "-.->", "dotted-line": "-.-"}
_CLASSES = (
    ("hoshinStart", "stroke-width:2px"),
    ("hoshinEnd", "stroke-width:3px"),
    ("hoshinNote", "fill:#ffffff,stroke-dasharray:4 3"),
)


def to_mermaid(chart: Chart) -> str:
    """Mermaid flowchart text for a chart (deterministic: same chart, same text)."""
    return _flow_mermaid(chart) if isinstance(chart, Flow) else _org_mermaid(chart)


def _edge_line(source: str, target: str, edge: Edge) -> str:
    arrow = _ARROWS[edge.style]
    label = f'|"{escape_label(wrap_label(edge.label))}"|' if edge.label else ""
    return f"    {source} {arrow}{label} {target}"


def _flow_mermaid(flow: Flow) -> str:
    lines = [f"flowchart {flow.direction}"]

    def step_lines(steps: Iterable[Step], indent: str) -> None:
        for step in steps:
            shape = _SHAPES[step.kind].format(escape_label(wrap_label(step.label)))
            lines.append(f"{indent}n_{step.id}{shape}")

    def note_lines(lane: str | None, indent: str) -> None:
        for k, note in enumerate(flow.notes, start=1):
            if note.lane == lane:
                lines.append(f'{indent}note_{k}["{escape_label(wrap_label(note.text))}"]')

    for lane in flow.lanes:
        lines.append(f'    subgraph lane_{lane.id}["{escape_label(lane.label)}"]')
        step_lines((s for s in flow.steps if s.lane == lane.id), "        ")
        note_lines(lane.id, "        ")
        lines.append("    end")
    step_lines((s for s in flow.steps if s.lane is None), "    ")
    note_lines(None, "    ")
    lines.extend(_edge_line(f"n_{e.source}", f"n_{e.target}", e) for e in flow.edges)
    for k, note in enumerate(flow.notes, start=1):
        lines.extend(f"    note_{k} -.- n_{ref}" for ref in note.steps)
    lines.extend(f"    classDef {name} {style}" for name, style in _CLASSES)
    for name, members in (
        ("hoshinStart", [f"n_{s.id}" for s in flow.steps if s.kind == "start"]),
        ("hoshinEnd", [f"n_{s.id}" for s in flow.steps if s.kind == "end"]),
        ("hoshinNote", [f"note_{k}" for k in range(1, len(flow.notes) + 1)]),
    ):
        if members:
            lines.append(f"    class {','.join(members)} {name}")
    return "\n".join(lines) + "\n"


def _org_mermaid(org: OrgChart) -> str:
    lines = [f"flowchart {org.direction}"]
    group_ids = {g.id for g in org.groups}

    def member_label(member: Member) -> str:
        text = escape_label(wrap_label(member.label))
        detail = escape_label(wrap_label(member.detail))
        return f"{text}<br>{detail}" if member.detail else text

    def emit(parent: str | None, indent: str) -> None:
        for group in org.groups:
            if group.parent == parent:
                title = escape_label(group.label) or " "
                lines.append(f'{indent}subgraph g_{group.id}["{title}"]')
                emit(group.id, indent + "    ")
                lines.append(f"{indent}end")
        for member in org.members:
            if member.group == parent:
                lines.append(f'{indent}m_{member.id}["{member_label(member)}"]')

    emit(None, "    ")

    def ref(ident: str) -> str:
        return f"g_{ident}" if ident in group_ids else f"m_{ident}"

    lines.extend(_edge_line(ref(x.source), ref(x.target), x) for x in org.links)
    return "\n".join(lines) + "\n"
