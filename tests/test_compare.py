"""The join of a diff with its change records, and ``hoshin diff`` on the embedded versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.history import ChangeRecord, Location
from hoshin.core.mystdoc import parse_files
from hoshin.revisions.compare import compare, normalise_quote

from .conftest import REPO


def doc(**sections: str):  # type: ignore[no-untyped-def]
    text = "".join(f"({label})=\n# {label}\n\n{body}\n\n" for label, body in sections.items())
    return parse_files({"index.md": text})


def record(no: int, sections: tuple[str, ...], old: str | None, new: str | None,
           quote: str = "both", ack: str | None = None) -> ChangeRecord:  # fmt: skip
    return ChangeRecord(version="v2", from_version="v1", no=no, motive="m", page="1",
                        sections=sections, old=old, new=new, reason=f"理由{no}",
                        reason_resolved=f"理由{no}", quote=quote, acknowledged=ack,
                        where=Location("changes.yaml", no, 3))  # fmt: skip


OLD = doc(a="- 市では情報化を進めます。", b="変わらない文。", c="古い文。")
NEW = doc(a="- 市ではICTによる情報化を進めます。", b="変わらない文。", c="新しい文。")


def test_reasons_unexplained_stale_and_quotes() -> None:
    records = [
        record(
            1, ("a",), "◆ 市では情報化を進めます。", "<p>◆ 市ではICTによる情報化を進めます。</p>"
        ),
        record(2, ("b",), None, "(刷新)", quote="none"),
        record(3, ("a",), "存在しない文", None),
    ]
    cmp = compare(OLD, NEW, records, old_id="v1", new_id="v2")
    by_section = {c.section: k for k, c in enumerate(cmp.changes)}
    assert set(by_section) == {"a", "c"}
    assert cmp.reasons[by_section["a"]] == ["No.1 理由1"]  # No.3 quotes nothing that is there
    assert [u.section for u in cmp.unexplained] == ["c"]
    assert [s.number for s in cmp.stale_reasons] == [2]
    assert [(q.number, q.side) for q in cmp.quote_mismatches] == [(3, "old")]
    assert cmp.quote_mismatches[0].line == 3  # the record's line: file:line:col in warnings


def test_a_change_carries_only_the_records_that_quote_it() -> None:
    old = doc(a="- 一つ目の古い文。\n- 二つ目の古い文。")
    new = doc(a="- 一つ目の新しい文。\n- 二つ目の新しい文。")
    records = [record(1, ("a",), "一つ目の古い文。", "一つ目の新しい文。"),
               record(2, ("a",), "二つ目の古い文。", "二つ目の新しい文。")]  # fmt: skip
    cmp = compare(old, new, records, old_id="v1", new_id="v2")
    assert [cmp.reasons[k] for k in range(len(cmp.changes))] == [["No.1 理由1"], ["No.2 理由2"]]


# --- the join: a row carries only the records whose quotations cover it ---------------------

TWO_OLD = doc(a="- 残る文です。\n- 消える文です。\n- 直す文は古いです。")
TWO_NEW = doc(a="- 残る文です。\n- 直す文は新しいです。\n- 加わる文です。")


def _rows(cmp):  # type: ignore[no-untyped-def]
    return [(c.kind, c.old or c.new, cmp.reasons.get(k, [])) for k, c in enumerate(cmp.changes)]


def test_two_records_on_one_section_a_deletion_and_an_addition_get_their_own() -> None:
    # Clerks quote phrases, not whole paragraphs: a quotation is a part of its block.
    records = [record(1, ("a",), "消える文", None),
               record(2, ("a",), None, "加わる文"),
               record(3, ("a",), "直す文は古い", "直す文は新しい")]  # fmt: skip
    cmp = compare(TWO_OLD, TWO_NEW, records, old_id="v1", new_id="v2")
    assert _rows(cmp) == [
        ("removed", "消える文です。", ["No.1 理由1"]),
        ("changed", "直す文は古いです。", ["No.3 理由3"]),
        ("added", "加わる文です。", ["No.2 理由2"]),
    ]
    assert cmp.unexplained == cmp.stale_reasons == cmp.quote_mismatches == []


def test_an_edit_no_record_quotes_is_unexplained_and_shows_no_reason() -> None:
    records = [record(1, ("a",), "消える文です。", None), record(2, ("a",), None, "加わる文です。")]
    cmp = compare(TWO_OLD, TWO_NEW, records, old_id="v1", new_id="v2")
    assert _rows(cmp)[1] == ("changed", "直す文は古いです。", [])
    assert [(u.section, u.kind, u.index) for u in cmp.unexplained] == [("a", "changed", 1)]
    assert "直す文は新しいです。" in cmp.unexplained[0].message
    assert cmp.stale_reasons == []


def test_quote_none_speaks_for_every_change_of_its_section() -> None:
    records = [record(1, ("a",), "消える文です。", None),
               record(2, ("a",), None, "(刷新)", quote="none")]  # fmt: skip
    cmp = compare(TWO_OLD, TWO_NEW, records, old_id="v1", new_id="v2")
    assert [r for _, _, r in _rows(cmp)] == [
        ["No.1 理由1", "No.2 理由2"], ["No.2 理由2"], ["No.2 理由2"]]  # fmt: skip
    assert cmp.unexplained == []


def test_a_quotation_of_wording_that_did_not_change_explains_nothing() -> None:
    records = [
        record(1, ("a",), "残る文です。", "残る文です。"),
        record(2, ("a",), "消える文です。", None),
    ]
    cmp = compare(TWO_OLD, TWO_NEW, records, old_id="v1", new_id="v2")
    assert [r for _, _, r in _rows(cmp)] == [["No.2 理由2"], [], []]
    assert [(s.number, s.line) for s in cmp.stale_reasons] == [(1, 1)]
    assert "引用した文言は変わっていません" in cmp.stale_reasons[0].message
    assert len(cmp.unexplained) == 2


def test_a_quotation_of_one_sentence_covers_the_edit_inside_it_only() -> None:
    old = doc(a="第一の文を直します。第二の文はそのままです。第三の文も直します。")
    new = doc(a="第一の文を改めます。第二の文はそのままです。第三の文も改めます。")
    one = record(1, ("a",), "第一の文を直します。", "第一の文を改めます。")
    cmp = compare(old, new, [one], old_id="v1", new_id="v2")
    assert cmp.reasons == {0: ["No.1 理由1"]}  # one block: its row carries the record
    second = record(2, ("a",), "第二の文はそのままです。", "第二の文はそのままです。")
    cmp = compare(old, new, [second], old_id="v1", new_id="v2")
    assert cmp.reasons == {} and len(cmp.unexplained) == 1


def test_an_insertion_is_covered_by_an_old_quotation_around_its_place() -> None:
    old, new = doc(a="施策を推進します。"), doc(a="施策を着実に推進します。")
    around = record(1, ("a",), "施策を推進します。", None, quote="old")
    before = record(2, ("a",), "施策を", None, quote="old")  # ends where the insertion starts
    cmp = compare(old, new, [around, before], old_id="v1", new_id="v2")
    assert cmp.reasons == {0: ["No.1 理由1"]}
    assert [s.number for s in cmp.stale_reasons] == [2]


def test_an_inexact_quotation_still_covers_its_change_and_is_reported() -> None:
    old = doc(a="- 一つ目の項目は古い書き方のままで残っています。\n- 二つ目の項目は変わりません。")
    new = doc(
        a="- 一つ目の項目は新しい書き方に改めて残っています。\n- 二つ目の項目は変わりません。"
    )
    records = [record(1, ("a",), "(一つ目)の項目は古い書き方のままで残っています",
                      "（一つ目）の項目は新しい書き方に改めて残っていました。")]  # fmt: skip
    cmp = compare(old, new, records, old_id="v1", new_id="v2")
    assert cmp.reasons == {0: ["No.1 理由1"]} and cmp.unexplained == []
    assert {(q.number, q.side) for q in cmp.quote_mismatches} == {(1, "old"), (1, "new")}


def test_a_moved_block_is_covered_from_either_section() -> None:
    text = "この段落は別の節へ移ります。内容は変わりません。"
    old, new = doc(a=text, b="残る文。"), doc(a="残る文その一。", b=f"残る文。\n\n{text}")
    cmp = compare(old, new, [record(1, ("a",), text, None, quote="old")], old_id="v1", new_id="v2")
    moved = next(k for k, c in enumerate(cmp.changes) if c.kind == "moved")
    assert cmp.reasons.get(moved) == ["No.1 理由1"]


def test_missing_old_text_is_not_quote_checked_and_ack_is_carried() -> None:
    records = [
        record(1, ("c",), None, "新しい文。"),
        record(2, ("c",), "古い文", "違う", ack="既知"),
    ]
    cmp = compare(OLD, NEW, records, old_id="v1", new_id="v2")
    assert [(q.number, q.side, q.acknowledged) for q in cmp.quote_mismatches] == [
        (2, "new", "既知")]  # fmt: skip


def test_document_wide_records_are_never_stale() -> None:
    cmp = compare(OLD, OLD, [record(12, (), None, "用語集を作成", quote="none")],
                  old_id="v1", new_id="v2")  # fmt: skip
    assert cmp.changes == [] and cmp.stale_reasons == [] and cmp.quote_mismatches == []


def test_quote_normalisation() -> None:
    assert normalise_quote("<p>◆ ＩＣＴ　の ・ 推進</p>") == "ICTの推進"
    assert normalise_quote("(再掲)") == normalise_quote("（再掲）")


# --- hoshin diff on the embedded versions --------------------------------------------------


def _diff_json(capsys: pytest.CaptureFixture[str], old: str, new: str) -> dict:  # type: ignore[type-arg]
    assert main(["-C", str(REPO), "diff", old, new, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_diff_62_63_shows_row_1(capsys: pytest.CaptureFixture[str]) -> None:
    data = _diff_json(capsys, "_62", "_63")
    assert {c["section"] for c in data["changes"]} == {"sec-2-1"}
    assert all(c["reasons"] and c["reasons"][0].startswith("No.1 第2回有識者会議における")
               for c in data["changes"])  # fmt: skip
    inserted = {s["text"] for c in data["changes"] for s in c["spans"] if s["op"] == "insert"}
    assert inserted == {"ICTによる"}
    assert data["unexplained"] == data["stale_reasons"] == data["quote_mismatches"] == []


def test_diff_63_83_shows_the_seed_rows_with_their_reasons(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _diff_json(capsys, "_63", "_83")
    numbers = {int(r.split(" ")[0][3:]) for c in data["changes"] for r in c["reasons"]}
    assert numbers == {2, 3, 4, 6, 7, 8, 9, 10, 11, 12}  # 5 and 13 have no earlier wording
    assert data["unexplained"] == []
    assert {s["number"] for s in data["stale_reasons"]} == {5, 13}
    assert {(q["number"], q["side"]) for q in data["quote_mismatches"]} == {
        (2, "new"), (9, "new"), (10, "new"), (11, "old"), (11, "new")}  # fmt: skip
    assert all(f.get("acknowledged") for f in data["stale_reasons"] + data["quote_mismatches"])
    sections = {c["section"] for c in data["changes"]}
    assert sections == {"glossary", "sec-1-6", "sec-2-5", "sec-3-1-1", "sec-3-1-2", "sec-3-2-1", "sec-3-2-2",
                        "sec-3-2-3"}  # fmt: skip
    ditto = [r for c in data["changes"] for r in c["reasons"] if r.startswith("No.11 ")]
    assert ditto and ditto[0].startswith("No.11 〃（No.10 と同じ：強靱化と柔軟な環境構築")


def test_diff_text_is_readable_in_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(REPO), "diff", "_63", "_83"]) == 0
    text = capsys.readouterr().out
    assert "改版理由: No.8 圏域のデジタル化" in text
    assert "\x1b[" not in text  # not a terminal: no colour


def test_diff_formats_and_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt, needle in (("csv", "改版理由"), ("html", "<del>"), ("json", '"kind"')):
        out = tmp_path / f"d.{fmt}"
        assert main(["-C", str(REPO), "diff", "_63", "_83", "--format", fmt, "-o", str(out)]) == 0
        assert needle in out.read_text("utf-8")
    assert main(["-C", str(REPO), "diff", "_83", "current", "--format", "json"]) == 0


def test_diff_refuses_newer_to_older(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(REPO), "diff", "_83", "_63"]) == 2
    assert "revisions/history.yaml:1:1: _83 comes after _63" in capsys.readouterr().err


def test_every_renderer_shows_the_join_row_by_row(tmp_path: Path) -> None:
    """Text, JSON, CSV, HTML, LaTeX (PDF) and Word put each reason on its own row only."""
    import csv
    import io

    from docx import Document

    from hoshin.revisions.office_docx import write_shinkyu_docx
    from hoshin.revisions.render import render_csv, render_html, render_json, render_text
    from hoshin.revisions.shinkyu_pdf import NO_REASON, ShinkyuHeading, render_shinkyu_latex

    records = [record(1, ("a",), "消える文", None), record(2, ("a",), None, "加わる文")]
    cmp = compare(TWO_OLD, TWO_NEW, records, old_id="v1", new_id="v2")
    want = [["No.1 理由1"], [], ["No.2 理由2"]]  # removed, changed (unexplained), added

    text = render_text(cmp, colour=False)
    paragraphs = text.split("\n\n")[1:4]
    assert [
        [ln.strip()[6:] for ln in p.splitlines() if "改版理由:" in ln] for p in paragraphs
    ] == want
    assert "理由のない変更 (unexplained): 1 件" in text

    data = json.loads(render_json(cmp))
    assert [c["reasons"] for c in data["changes"]] == want
    assert [u["index"] for u in data["unexplained"]] == [1]

    rows = list(csv.reader(io.StringIO(render_csv(cmp).lstrip("\ufeff"))))
    assert [r[-1] for r in rows[1:]] == ["No.1 理由1", "", "No.2 理由2"]

    page = render_html(cmp)
    cells = [row.split('class="hoshin-shinkyu-reason">')[-1].split("</td>")[0]
             for row in page.split("<tbody>")[1].split("</tr>")[:3]]  # fmt: skip
    assert cells == ["No.1 理由1", "", "No.2 理由2"]

    tex = render_shinkyu_latex(cmp, ShinkyuHeading("t", "i", "v1", "v2"))
    body = [ln for ln in tex.splitlines() if ln.endswith(r"\\ \hline") and ln[:1].isdigit()]
    assert [ln.rsplit(" & ", 1)[-1].removesuffix(r"\\ \hline") for ln in body] == [
        "No.1 理由1", NO_REASON, "No.2 理由2"]  # fmt: skip

    out = write_shinkyu_docx(cmp, tmp_path / "t.docx")
    table = Document(str(out)).tables[0]
    cells = [row.cells[-1].text for row in table.rows[1:]]
    assert cells[0] == "No.1 理由1" and cells[2] == "No.2 理由2"
    assert "No." not in cells[1]  # the unexplained row: the "no record" wording, no reason
