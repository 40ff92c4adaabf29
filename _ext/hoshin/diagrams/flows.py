"""Flows and organisation charts from YAML: the formats, loading and validation.

Two sibling formats share one file layout (``type: flow`` or ``type: org``):

- a *flow* has lanes (roles), steps (start / task / decision / end) placed in lanes, edges
  between steps and notes attached to steps (support given by another role);
- an *org* chart has groups (boxes, may nest), members and links between members or groups.

Validation reports every problem with ``path:line:col``: unknown ids in edges, duplicate
ids, unknown lanes, steps unreachable from a start, decisions with fewer than two exits.
:mod:`hoshin.diagrams.mermaid` draws a chart as mermaid, :mod:`hoshin.diagrams.text` tells it
as text. Nothing here imports Sphinx.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hoshin.core.schema import Field, Schema, validate
from hoshin.core.yamlio import N_, DataError, YamlDocument, load_yaml

ID_PATTERN = r"[A-Za-z][A-Za-z0-9_]*"
STEP_KINDS = ("start", "task", "decision", "end")
EDGE_STYLES = ("arrow", "line", "dotted", "dotted-line")
DIRECTIONS = ("TB", "LR", "BT", "RL")
LABEL_MAX = 300

_ID = Field(
    "id",
    "str",
    "ID（英字で始まる英数字と _。図の中だけで使う）",
    required=True,
    pattern=ID_PATTERN,
    max_length=64,
)
_TITLE = Field(
    "title", "str", "図の題名（図のキャプションになる）", required=True, max_length=LABEL_MAX
)
_TYPE_FLOW = Field("type", "str", "`flow`（フロー図）", required=True, choices=("flow",))
_TYPE_ORG = Field("type", "str", "`org`（体制図・体系図）", required=True, choices=("org",))
_DIRECTION = Field("direction", "str", "図の向き（既定 TB = 上から下）", choices=DIRECTIONS)

LANE_SCHEMA = Schema(
    N_("lane"),
    "レーン（役割）。",
    (
        _ID,
        Field(
            "label", "str", "レーンの名前（例: CIOスタッフ）", required=True, max_length=LABEL_MAX
        ),
    ),
)
STEP_SCHEMA = Schema(
    N_("step"),
    "工程。",
    (
        _ID,
        Field(
            "label",
            "str",
            "工程の名前（改行は図の中でも改行）",
            required=True,
            max_length=LABEL_MAX,
        ),
        Field("lane", "str", "属するレーンの ID（省略するとレーンの外）", pattern=ID_PATTERN),
        Field("kind", "str", "種類（既定 task）", choices=STEP_KINDS),
    ),
)
EDGE_SCHEMA = Schema(
    N_("edge"),
    "工程から工程への矢印。",
    (
        Field("from", "str", "矢印の元の工程 ID", required=True, pattern=ID_PATTERN),
        Field("to", "str", "矢印の先の工程 ID", required=True, pattern=ID_PATTERN),
        Field("label", "str", "矢印に添える言葉（分岐の条件など）", max_length=LABEL_MAX),
        Field("style", "str", "線の種類（既定 arrow）", choices=EDGE_STYLES),
    ),
)
NOTE_SCHEMA = Schema(
    N_("note"),
    "工程に添える補足（別の役割による支援など）。",
    (
        Field("text", "str", "補足の文", required=True, max_length=LABEL_MAX),
        Field("lane", "str", "補足を置くレーンの ID", pattern=ID_PATTERN),
        Field("steps", "list", "補足の対象の工程 ID", required=True, items="str"),
    ),
)
FLOW_SCHEMA = Schema(
    N_("flow"),
    "フロー図（`type: flow`）。",
    (
        _TYPE_FLOW,
        _TITLE,
        _DIRECTION,
        Field("lanes", "list", "レーン（役割）", items=LANE_SCHEMA),
        Field("steps", "list", "工程", required=True, items=STEP_SCHEMA),
        Field("edges", "list", "矢印", items=EDGE_SCHEMA),
        Field("notes", "list", "補足", items=NOTE_SCHEMA),
    ),
)

GROUP_SCHEMA = Schema(
    N_("group"),
    "枠（入れ子にできる）。",
    (
        _ID,
        Field("label", "str", "枠の名前（省略すると名前のない枠）", max_length=LABEL_MAX),
        Field("parent", "str", "外側の枠の ID", pattern=ID_PATTERN),
    ),
)
MEMBER_SCHEMA = Schema(
    N_("member"),
    "構成員・構成要素。",
    (
        _ID,
        Field("label", "str", "名前（例: CIO）", required=True, max_length=LABEL_MAX),
        Field(
            "detail",
            "str",
            "添え書き（例: 情報セクション担当副市長。改行可）",
            max_length=LABEL_MAX,
        ),
        Field("group", "str", "属する枠の ID", pattern=ID_PATTERN),
    ),
)
LINK_SCHEMA = Schema(
    N_("link"),
    "構成員または枠の間の線。",
    (
        Field("from", "str", "線の元（構成員または枠の ID）", required=True, pattern=ID_PATTERN),
        Field("to", "str", "線の先（構成員または枠の ID）", required=True, pattern=ID_PATTERN),
        Field("label", "str", "線に添える言葉（例: 助言や指導）", max_length=LABEL_MAX),
        Field("style", "str", "線の種類（既定 line）", choices=EDGE_STYLES),
    ),
)
ORG_SCHEMA = Schema(
    N_("org"),
    "体制図・体系図（`type: org`）。",
    (
        _TYPE_ORG,
        _TITLE,
        _DIRECTION,
        Field("groups", "list", "枠", items=GROUP_SCHEMA),
        Field("members", "list", "構成員", required=True, items=MEMBER_SCHEMA),
        Field("links", "list", "線", items=LINK_SCHEMA),
    ),
)

CHART_SCHEMAS: dict[str, Schema] = {"flow": FLOW_SCHEMA, "org": ORG_SCHEMA}


# -- data model ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Lane:
    id: str
    label: str


@dataclasses.dataclass(frozen=True)
class Step:
    id: str
    label: str
    lane: str | None = None
    kind: str = "task"


@dataclasses.dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    style: str = "arrow"


@dataclasses.dataclass(frozen=True)
class Note:
    text: str
    steps: tuple[str, ...]
    lane: str | None = None


@dataclasses.dataclass(frozen=True)
class Flow:
    """A flow: steps in lanes joined by edges, with notes."""

    title: str
    lanes: tuple[Lane, ...]
    steps: tuple[Step, ...]
    edges: tuple[Edge, ...] = ()
    notes: tuple[Note, ...] = ()
    direction: str = "TB"


@dataclasses.dataclass(frozen=True)
class Group:
    id: str
    label: str = ""
    parent: str | None = None


@dataclasses.dataclass(frozen=True)
class Member:
    id: str
    label: str
    detail: str = ""
    group: str | None = None


@dataclasses.dataclass(frozen=True)
class OrgChart:
    """An organisation (or structure) chart: members in nested groups, joined by links."""

    title: str
    groups: tuple[Group, ...]
    members: tuple[Member, ...]
    links: tuple[Edge, ...] = ()
    direction: str = "TB"


Chart = Flow | OrgChart


# -- loading and validation ----------------------------------------------------------------


def read_chart(
    path: str | Path, *, text: str | None = None
) -> tuple[Chart | None, list[DataError]]:
    """Load and validate a chart file; return the chart (None if invalid) and every error."""
    try:
        doc = load_yaml(path, text=text)
    except DataError as exc:
        return None, [exc]
    data = doc.data
    if not isinstance(data, dict):
        return None, [
            doc.error((), "a flow file must be a mapping with 'type: flow' or 'type: org'")
        ]
    kind = data.get("type")
    if kind not in CHART_SCHEMAS:
        where: tuple[str, ...] = ("type",) if "type" in data else ()
        got = f"; got {kind!r}" if "type" in data else ""
        return None, [doc.error(where, f"'type' must be flow or org{got}")]
    errors = validate(doc, CHART_SCHEMAS[kind])
    if errors:
        return None, errors
    if kind == "flow":
        flow = _build_flow(data)
        errors = _check_flow(doc, flow)
        return (None if errors else flow), errors
    org = _build_org(data)
    errors = _check_org(doc, org)
    return (None if errors else org), errors


def load_chart(path: str | Path, *, text: str | None = None) -> Chart:
    """Like :func:`read_chart` but raise the first :class:`DataError`."""
    chart, errors = read_chart(path, text=text)
    if errors or chart is None:
        raise errors[0]
    return chart


def _build_flow(data: dict[str, Any]) -> Flow:
    return Flow(
        title=data["title"],
        direction=data.get("direction") or "TB",
        lanes=tuple(Lane(x["id"], x["label"]) for x in data.get("lanes") or ()),
        steps=tuple(
            Step(x["id"], x["label"], x.get("lane"), x.get("kind") or "task") for x in data["steps"]
        ),
        edges=tuple(_edge(x, "arrow") for x in data.get("edges") or ()),
        notes=tuple(
            Note(x["text"], tuple(x["steps"]), x.get("lane")) for x in data.get("notes") or ()
        ),
    )


def _build_org(data: dict[str, Any]) -> OrgChart:
    return OrgChart(
        title=data["title"],
        direction=data.get("direction") or "TB",
        groups=tuple(
            Group(x["id"], x.get("label") or "", x.get("parent")) for x in data.get("groups") or ()
        ),
        members=tuple(
            Member(x["id"], x["label"], x.get("detail") or "", x.get("group"))
            for x in data["members"]
        ),
        links=tuple(_edge(x, "line") for x in data.get("links") or ()),
    )


def _edge(x: dict[str, Any], default_style: str) -> Edge:
    return Edge(x["from"], x["to"], x.get("label") or "", x.get("style") or default_style)


def _duplicates(
    doc: YamlDocument,
    section: str,
    ids: Iterable[str],
    seen: dict[str, tuple[str, int]] | None = None,
) -> list[DataError]:
    seen = {} if seen is None else seen
    errors = []
    for i, ident in enumerate(ids):
        if ident in seen:
            first = doc.where((seen[ident][0], seen[ident][1], "id"))
            errors.append(
                doc.error(
                    (section, i, "id"), f"duplicate id '{ident}' (first used at line {first.line})"
                )
            )
        else:
            seen[ident] = (section, i)
    return errors


def _check_flow(doc: YamlDocument, flow: Flow) -> list[DataError]:
    errors = _duplicates(doc, "lanes", (lane.id for lane in flow.lanes))
    errors += _duplicates(doc, "steps", (step.id for step in flow.steps))
    lane_ids = {lane.id for lane in flow.lanes}
    step_ids = {step.id for step in flow.steps}
    for i, step in enumerate(flow.steps):
        if step.lane is not None and step.lane not in lane_ids:
            errors.append(
                doc.error(("steps", i, "lane"), f"step '{step.id}': unknown lane '{step.lane}'")
            )
    for i, edge in enumerate(flow.edges):
        for key, ref in (("from", edge.source), ("to", edge.target)):
            if ref not in step_ids:
                errors.append(doc.error(("edges", i, key), f"edge {key}: unknown step '{ref}'"))
    for i, note in enumerate(flow.notes):
        if note.lane is not None and note.lane not in lane_ids:
            errors.append(doc.error(("notes", i, "lane"), f"note: unknown lane '{note.lane}'"))
        if not note.steps:
            errors.append(doc.error(("notes", i, "steps"), "note: 'steps' names no step"))
        for j, ref in enumerate(note.steps):
            if ref not in step_ids:
                errors.append(doc.error(("notes", i, "steps", j), f"note: unknown step '{ref}'"))
    exits: dict[str, int] = {}
    for edge in flow.edges:
        exits[edge.source] = exits.get(edge.source, 0) + 1
    for i, step in enumerate(flow.steps):
        if step.kind == "decision" and exits.get(step.id, 0) < 2:
            n = exits.get(step.id, 0)
            errors.append(
                doc.error(
                    ("steps", i, "kind"),
                    f"decision '{step.id}' has {n} exit"
                    f"{'' if n == 1 else 's'}; a decision needs at least two",
                )
            )
    starts = [s.id for s in flow.steps if s.kind == "start"]
    if not starts:
        errors.append(doc.error(("steps",), "flow has no start step (kind: start)"))
        return errors
    reached = _reachable(starts, flow.edges)
    for i, step in enumerate(flow.steps):
        if step.id not in reached:
            errors.append(
                doc.error(
                    ("steps", i, "id"), f"step '{step.id}' is not reachable from a start step"
                )
            )
    return errors


def _reachable(starts: Iterable[str], edges: Iterable[Edge]) -> set[str]:
    successors: dict[str, list[str]] = {}
    for edge in edges:
        successors.setdefault(edge.source, []).append(edge.target)
    reached: set[str] = set()
    todo = list(starts)
    while todo:
        node = todo.pop()
        if node not in reached:
            reached.add(node)
            todo.extend(successors.get(node, ()))
    return reached


def _check_org(doc: YamlDocument, org: OrgChart) -> list[DataError]:
    seen: dict[str, tuple[str, int]] = {}
    errors = _duplicates(doc, "groups", (g.id for g in org.groups), seen)
    errors += _duplicates(doc, "members", (m.id for m in org.members), seen)
    group_ids = {g.id for g in org.groups}
    for i, group in enumerate(org.groups):
        if group.parent is not None and group.parent not in group_ids:
            errors.append(
                doc.error(
                    ("groups", i, "parent"), f"group '{group.id}': unknown group '{group.parent}'"
                )
            )
    parents = {g.id: g.parent for g in org.groups if g.parent in group_ids}
    for i, group in enumerate(org.groups):
        probe, hops = parents.get(group.id), 0
        while probe is not None and hops <= len(parents):
            if probe == group.id:
                errors.append(
                    doc.error(("groups", i, "parent"), f"group '{group.id}' is inside itself")
                )
                break
            probe, hops = parents.get(probe), hops + 1
    for i, member in enumerate(org.members):
        if member.group is not None and member.group not in group_ids:
            errors.append(
                doc.error(
                    ("members", i, "group"), f"member '{member.id}': unknown group '{member.group}'"
                )
            )
    for i, link in enumerate(org.links):
        for key, ref in (("from", link.source), ("to", link.target)):
            if ref not in seen:
                errors.append(
                    doc.error(("links", i, key), f"link {key}: unknown member or group '{ref}'")
                )
    return errors
