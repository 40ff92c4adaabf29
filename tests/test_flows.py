"""Flows and organisation charts: YAML → mermaid (snapshots), escaping, validation, text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hoshin.core.schema import schema_markdown
from hoshin.diagrams.flows import FLOW_SCHEMA, ORG_SCHEMA, Flow, load_chart, read_chart
from hoshin.diagrams.mermaid import escape_label, to_mermaid
from hoshin.diagrams.text import step_order, text_alternative

from .conftest import REPO

SEED_CHARTS = ("2-4", "4-1", "4-2", "4-3")


def _chart_path(name: str) -> Path:
    return REPO / "source" / "flows" / f"{name}.yaml"


# -- the seed's diagrams -------------------------------------------------------------------


@pytest.mark.parametrize("name", SEED_CHARTS)
def test_seed_chart_mermaid_snapshot(name: str, file_regression) -> None:
    mermaid = to_mermaid(load_chart(_chart_path(name)))
    file_regression.check(mermaid, basename=f"mermaid-{name}", extension=".mmd", encoding="utf-8")


@pytest.mark.parametrize("name", SEED_CHARTS)
def test_seed_chart_text_alternative_snapshot(name: str, data_regression) -> None:
    sections = text_alternative(load_chart(_chart_path(name)))
    data_regression.check([{s.heading: list(s.items)} for s in sections], basename=f"text-{name}")


def test_seed_charts_quote_the_seed() -> None:
    """Every label of the drawings is made of the seed's words (spot checks)."""
    org = to_mermaid(load_chart(_chart_path("4-1")))
    for words in (
        "情報セクション担当副市長",
        "副CIO",
        "理事",
        "CIO補佐",
        "担当部長",
        "CIOスタッフ",
        "情報セクション",
        "有識者",
        "各課等",
        "助言や指導",
    ):
        assert words in org
    flow = load_chart(_chart_path("4-3"))
    assert isinstance(flow, Flow)
    labels = [s.label for s in flow.steps]
    for words in (
        "政策決定",
        "調達",
        "本格運用",
        "詳細検討",
        "実証実験",
        "試行導入",
        "本格導入",
        "CIOに報告",
        "計画完了",
    ):
        assert words in labels


def test_reading_order_follows_a_path_before_taking_the_branch() -> None:
    flow = load_chart(_chart_path("4-3"))
    assert isinstance(flow, Flow)
    assert step_order(flow) == [
        "decision",
        "which",
        "procure",
        "operate",
        "study",
        "trial",
        "pilot",
        "adopt",
        "goal",
        "report",
        "done",
    ]
    sections = text_alternative(flow)
    assert [s.heading for s in sections] == ["工程", "CIOスタッフ"]  # order the flow reaches them


# -- escaping ------------------------------------------------------------------------------

HOSTILE = [
    'say "hi"',
    "a]b",
    "x[1]",
    "<script>alert(1)</script>",
    "a --> b",
    "#35; raw",
    "one; two",
    "{brace}",
    "pipe | bar",
    "%% comment",
    "`tick`",
    "A:::cls",
    "&amp;",
    "$$x$$",
    "back\\slash",
    "ﬂ°¶ß",
]


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_leave_no_mermaid_syntax(label: str) -> None:
    escaped = escape_label(label)
    # What remains is letters, digits, spaces, safe signs, non-ASCII and entity codes.
    assert re.fullmatch(r"(?:[A-Za-z0-9 .,/!?@+]|[^\x00-\x7f]|#\d+;)*", escaped), escaped
    assert not set("ﬂ°¶ß") & set(escaped)
    # Decoding the entity codes gives the label back.
    assert re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), escaped) == label


def test_escape_label_keeps_japanese_and_turns_newlines_into_breaks() -> None:
    assert escape_label("CIO(最高情報責任者)\n理事") == "CIO#40;最高情報責任者#41;<br>理事"
    assert escape_label("制御\x00文字\u2028") == "制御文字"


def test_hostile_labels_in_a_whole_chart(tmp_path: Path) -> None:
    text = """\
type: flow
title: 'x"]; <b>'
lanes: [{id: l1, label: 'lane"]end'}]
steps:
  - {id: a, kind: start, lane: l1, label: '"]; click a call alert()'}
  - {id: end, kind: end, label: "<script>alert(1)</script> --> #x; 100%"}
edges:
  - {from: a, to: end, label: "|x| -.- ==>"}
notes:
  - {text: "%%{init: {}}%%", steps: [end]}
"""
    chart = load_chart(tmp_path / "h.yaml", text=text)
    mermaid = to_mermaid(chart)
    for line in mermaid.splitlines():
        for quoted in re.findall(r'"([^"]*)"', line):
            assert not re.search(
                r'[\]\[<>;|%{}()`:"-]|#(?!\d+;)', re.sub(r"#\d+;|<br>", "", quoted)
            )
    # 'click' survives only inside a quoted label (phrase breaks may split the label with <br>)
    assert "click" not in re.sub(r'"[^"]*"', '""', mermaid)
    assert "click a call alert#40;#41;" in mermaid.replace("<br>", "")
    assert "n_end" in mermaid  # ids are prefixed: 'end' is a mermaid keyword
    # Outside quotes only our own syntax remains.
    skeleton = re.sub(r'"[^"]*"', '""', mermaid)
    assert "<script>" not in skeleton and "%%" not in skeleton


# -- validation ----------------------------------------------------------------------------


def _errors(tmp_path: Path, text: str) -> list[tuple[int, int, str]]:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    chart, errors = read_chart(path)
    assert chart is None and errors
    for error in errors:
        assert str(error).startswith(f"{path}:{error.line}:{error.col}: ")
    return [(e.line, e.col, e.message) for e in errors]


FLOW_HEAD = """\
type: flow
title: t
lanes:
  - {id: a, label: A}
steps:
"""


def test_unknown_step_in_an_edge(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        FLOW_HEAD
        + """\
  - {id: s, kind: start, label: S}
edges:
  - {from: s, to: nowhere}
""",
    )
    assert errors == [(8, 19, "edge to: unknown step 'nowhere'")]


def test_duplicate_ids(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        FLOW_HEAD
        + """\
  - {id: s, kind: start, label: S}
  - {id: s, label: again}
edges:
  - {from: s, to: s}
""",
    )
    assert errors[0] == (7, 10, "duplicate id 's' (first used at line 6)")


def test_unknown_lane(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        FLOW_HEAD
        + """\
  - id: s
    kind: start
    label: S
    lane: b
""",
    )
    assert errors == [(9, 11, "step 's': unknown lane 'b'")]


def test_unreachable_step_and_missing_start(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        FLOW_HEAD
        + """\
  - {id: s, kind: start, label: S}
  - {id: t, label: T}
  - {id: u, label: U}
edges:
  - {from: s, to: t}
""",
    )
    assert errors == [(8, 10, "step 'u' is not reachable from a start step")]
    errors = _errors(tmp_path, FLOW_HEAD + "  - {id: s, label: S}\n")
    assert errors == [(6, 3, "flow has no start step (kind: start)")]


def test_decision_needs_two_exits(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        FLOW_HEAD
        + """\
  - {id: s, kind: start, label: S}
  - {id: d, kind: decision, label: D}
  - {id: t, label: T}
edges:
  - {from: s, to: d}
  - {from: d, to: t, label: はい}
""",
    )
    assert errors == [(7, 19, "decision 'd' has 1 exit; a decision needs at least two")]


def test_schema_errors_have_positions(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        FLOW_HEAD
        + """\
  - {id: 1bad, kind: begin, label: S, colour: red}
""",
    )
    messages = [m for _, _, m in errors]
    assert any("'id' '1bad' does not match" in m for m in messages)
    assert any("'kind' must be one of start, task, decision, end" in m for m in messages)
    assert any("unknown key 'colour'" in m for m in messages)
    assert all(line == 6 for line, _, _ in errors)


def test_type_is_required(tmp_path: Path) -> None:
    assert _errors(tmp_path, "title: t\n") == [(1, 1, "'type' must be flow or org")]
    assert _errors(tmp_path, "type: gantt\ntitle: t\n") == [
        (1, 7, "'type' must be flow or org; got 'gantt'")
    ]
    assert _errors(tmp_path, "- a\n") == [
        (1, 1, "a flow file must be a mapping with 'type: flow' or 'type: org'")
    ]


def test_broken_yaml_is_a_positioned_error(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "type: flow\ntitle: [unclosed\n")
    assert errors[0][2].startswith("invalid YAML")


def test_org_chart_errors(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        """\
type: org
title: t
groups:
  - {id: g, parent: h}
  - {id: h, parent: g}
members:
  - {id: g, label: clash}
  - {id: m, label: M, group: nope}
links:
  - {from: m, to: ghost}
""",
    )
    messages = [m for _, _, m in errors]
    assert "duplicate id 'g' (first used at line 4)" in messages
    assert "group 'g' is inside itself" in messages
    assert "member 'm': unknown group 'nope'" in messages
    assert "link to: unknown member or group 'ghost'" in messages
    assert (10, 19, "link to: unknown member or group 'ghost'") in errors


def test_loops_are_allowed_and_ordered(tmp_path: Path) -> None:
    chart = load_chart(
        tmp_path / "loop.yaml",
        text=FLOW_HEAD
        + """\
  - {id: s, kind: start, label: S}
  - {id: d, kind: decision, label: D}
  - {id: e, kind: end, label: E}
edges:
  - {from: s, to: d}
  - {from: d, to: s, label: again}
  - {from: d, to: e, label: done}
""",
    )
    assert isinstance(chart, Flow)
    assert step_order(chart) == ["s", "d", "e"]


def test_schemas_document_themselves() -> None:
    for schema in (FLOW_SCHEMA, ORG_SCHEMA):
        text = schema_markdown(schema)
        assert "| `type` |" in text and "| `title` |" in text


# -- hoshin check --------------------------------------------------------------------------


def test_hoshin_check_reports_broken_charts_with_positions(tmp_path: Path, capsys) -> None:
    from hoshin.cli import main

    bad_root = REPO / "tests" / "roots" / "test-flows-bad"
    (tmp_path / "conf.py").write_text((bad_root / "conf.py").read_text(encoding="utf-8"))
    (tmp_path / "source" / "flows").mkdir(parents=True)
    (tmp_path / "source" / "index.md").write_text(
        (bad_root / "index.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "source" / "flows" / "bad.yaml").write_text(
        (bad_root / "flows" / "bad.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert main(["-C", str(tmp_path), "check", "--only", "flows"]) == 2
    err = capsys.readouterr().err
    assert "source/flows/bad.yaml:11:19: edge to: unknown step 'nowhere'" in err
    assert "source/flows/bad.yaml:8:10: step 'u' is not reachable from a start step" in err
    assert "source/index.md:6:1: {flow} names a missing file: source/flows/missing.yaml" in err


def test_hoshin_check_passes_the_embedded_edition() -> None:
    from hoshin.core.project import Project
    from hoshin.diagrams.check import check_flow_data, flow_references

    refs = flow_references(REPO / "source")
    assert sorted(p.name for _, _, p in refs) == ["2-4.yaml", "4-1.yaml", "4-2.yaml", "4-3.yaml"]
    assert check_flow_data(Project(REPO)) == []
