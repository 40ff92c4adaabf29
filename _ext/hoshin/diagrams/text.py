"""A chart as text: the steps in order, lane by lane (flows), or members and relations (org).

This is the text alternative shown under each diagram on the web (and read by screen
readers), and in place of the diagram when it cannot be drawn. Nothing here imports Sphinx.
"""

from __future__ import annotations

import dataclasses

from hoshin.diagrams.flows import Chart, Flow, Note, OrgChart, Step


@dataclasses.dataclass(frozen=True)
class TextSection:
    """One part of a text alternative: a heading (a lane, 構成, 関係) and its items in order."""

    heading: str
    items: tuple[str, ...]


def text_alternative(chart: Chart) -> list[TextSection]:
    """What the diagram says, as text: steps in order per lane, or members and relations."""
    return _flow_text(chart) if isinstance(chart, Flow) else _org_text(chart)


def step_order(flow: Flow) -> list[str]:
    """Step ids in reading order: a path is followed to its end before a branch is taken.

    Kahn's topological order with a stack (the most recently enabled step first), after
    dropping edges that close a loop; steps are otherwise taken in declaration order.
    """
    index = {s.id: i for i, s in enumerate(flow.steps)}
    successors: dict[str, list[str]] = {s.id: [] for s in flow.steps}
    for edge in flow.edges:
        if edge.source in successors and edge.target in successors:
            successors[edge.source].append(edge.target)
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}

    def visit(node: str) -> None:
        state[node] = 1
        for nxt in successors[node]:
            if state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                visit(nxt)
        state[node] = 2

    starts = [s.id for s in flow.steps if s.kind == "start"]
    for node in [*starts, *index]:
        if node not in state:
            visit(node)
    indegree = {node: 0 for node in successors}
    for node, nexts in successors.items():
        for nxt in nexts:
            if (node, nxt) not in back:
                indegree[nxt] += 1
    ready = sorted(
        (n for n, d in indegree.items() if d == 0),
        key=lambda n: (n not in starts, index[n]),
        reverse=True,
    )
    order: list[str] = []
    while ready:
        node = ready.pop()
        order.append(node)
        enabled = []
        for nxt in successors[node]:
            if (node, nxt) in back:
                continue
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                enabled.append(nxt)
        ready.extend(reversed(enabled))
    return order


_KIND_PREFIX = {"start": "【開始】", "decision": "【分岐】", "end": "【終了】", "task": ""}


_NO_SPACE_AFTER = "、。，．・（「『"


def _one_line(text: str, sep: str = "") -> str:
    """Join a label's lines: no space between Japanese characters, ``sep`` between clauses."""
    out = ""
    for line in (part.strip() for part in text.splitlines()):
        if not line:
            continue
        if not out:
            out = line
        elif out[-1] in _NO_SPACE_AFTER or line[0] in "（「『":
            out += line
        elif out[-1].isascii() or line[0].isascii():
            out += " " + line
        else:
            out += sep + line
    return out


def _flow_text(flow: Flow) -> list[TextSection]:
    steps = {s.id: s for s in flow.steps}
    lanes = {lane.id: lane.label for lane in flow.lanes}
    position = {ident: i for i, ident in enumerate(step_order(flow))}

    def target_text(source: Step, target: Step) -> str:
        name = f"「{_one_line(target.label)}」"
        if target.lane != source.lane and target.lane is not None:
            return f"{lanes[target.lane]}の{name}"
        return name

    def step_item(step: Step) -> str:
        outs = [e for e in flow.edges if e.source == step.id]
        text = _KIND_PREFIX[step.kind] + _one_line(step.label)
        if outs:
            parts = [
                (f"{_one_line(e.label)}: " if e.label else "") + target_text(step, steps[e.target])
                for e in outs
            ]
            text += " → " + "／".join(parts)
        return text

    def note_item(note: Note) -> str:
        targets = "、".join(f"「{_one_line(steps[ref].label)}」" for ref in note.steps)
        return f"【補足】{_one_line(note.text)}（対象: {targets}）"

    ranked: list[tuple[int, int, TextSection]] = []
    lanes_in_order = [*((lane.id, lane.label) for lane in flow.lanes), (None, "工程")]
    for rank, (lane_id, heading) in enumerate(lanes_in_order):
        in_lane = sorted(
            (s for s in flow.steps if s.lane == lane_id),
            key=lambda s: position.get(s.id, len(position)),
        )
        items = [step_item(s) for s in in_lane]
        items += [note_item(n) for n in flow.notes if n.lane == lane_id]
        if items:
            first = position.get(in_lane[0].id, len(position)) if in_lane else len(position)
            ranked.append((first, rank, TextSection(_one_line(heading), tuple(items))))
    # Lanes in the order the flow reaches them; a lane of notes only comes last.
    return [section for _, _, section in sorted(ranked, key=lambda r: (r[0], r[1]))]


def _org_text(org: OrgChart) -> list[TextSection]:
    members = {m.id: m for m in org.members}
    groups = {g.id: g for g in org.groups}

    def name(ident: str) -> str:
        if ident in members:
            return _one_line(members[ident].label)
        group = groups[ident]
        if group.label:
            return _one_line(group.label)
        inner = [name(g.id) for g in org.groups if g.parent == ident]
        inner += [_one_line(m.label) for m in org.members if m.group == ident]
        return "・".join(inner)

    parts = []
    for member in org.members:
        text = _one_line(member.label)
        if member.detail:
            text += f"（{_one_line(member.detail, '、')}）"
        parts.append(text)
    sections = [TextSection("構成", tuple(parts))]
    boxes = []
    for group in org.groups:
        inner = [name(g.id) for g in org.groups if g.parent == group.id]
        inner += [_one_line(m.label) for m in org.members if m.group == group.id]
        if group.label:
            boxes.append(f"{_one_line(group.label)}: {'、'.join(inner)}")
    if boxes:
        sections.append(TextSection("まとまり", tuple(boxes)))
    relations = []
    for link in org.links:
        sign = "→" if link.style in ("arrow", "dotted") else "―"
        text = f"{name(link.source)} {sign} {name(link.target)}"
        if link.label:
            text += f": {_one_line(link.label)}"
        relations.append(text)
    if relations:
        sections.append(TextSection("関係", tuple(relations)))
    return sections
