"""revisions/: the embedded history and change records, and every bad input with its position."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.history import load_revisions

from .conftest import REPO, SEED

NULL_CELLS = ("－", "-")


def seed_table() -> list[list[str]]:
    """The rows of the seed's 素案の改訂箇所 table (tab-separated cells), empty rows dropped."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = lines.index("素案の改訂箇所")
    end = lines.index("基幹系システム標準化と個人情報保護について")
    assert lines[start + 2].split("\t")[:5] == [
        "No.",
        "改版前ver.",
        "改版後ver.",
        "改版動機",
        "ページ",
    ]
    rows = [ln.split("\t") for ln in lines[start + 3 : end]]
    return [r for r in rows if len(r) >= 8 and r[1]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the embedded project's data (no build)."""
    root = tmp_path / "p"
    root.mkdir()
    shutil.copy(REPO / "conf.py", root / "conf.py")
    for folder in ("source", "revisions"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_embedded_data_is_valid() -> None:
    data = load_revisions(REPO)
    assert data.errors == []
    assert data.ids == ["_62", "_63", "_83"]
    v83 = data.get("_83")
    assert v83 is not None and v83.edition == "VER.01" and v83.date_text == "令和XX年XX月"
    assert data.get("_62").date is None and data.get("_62").events == ()  # type: ignore[union-attr]
    assert data.get("_63").events == ("第2回有識者会議",)  # type: ignore[union-attr]


def test_all_13_rows_are_transcribed_word_for_word() -> None:
    data = load_revisions(REPO)
    records = {r.no: r for r in data.all_records()}
    rows = seed_table()
    assert [int(r[0]) for r in rows] == list(range(1, 14))  # rows 14 and 15 are empty
    assert sorted(records) == list(range(1, 14))
    for no, old_v, new_v, motive, page, old, new, reason, *_ in rows:
        r = records[int(no)]
        assert (r.from_version, r.version, r.motive, r.page) == (old_v, new_v, motive, page), no
        assert r.old == (None if old in NULL_CELLS else old), no
        assert r.new == (None if new in NULL_CELLS else new), no
        assert r.reason == reason, no


def test_ditto_reason_is_kept_and_resolved() -> None:
    records = {r.no: r for r in load_revisions(REPO).all_records()}
    assert records[11].reason == "〃"
    assert records[11].reason_resolved == records[10].reason
    assert records[11].reason_display.startswith("〃（No.10 と同じ：")


def test_pages_map_to_sections() -> None:
    records = {r.no: r for r in load_revisions(REPO).all_records()}
    assert records[1].sections == ("sec-2-1",)  # P11
    assert records[2].sections == ("sec-3-1-1",)  # P17
    assert records[12].sections == ("glossary",) and records[12].page == "全体"
    assert records[13].sections == ("sec-1-4",)  # P7


def _expect_exit_2(project: Path, capsys: pytest.CaptureFixture[str], needle: str) -> str:
    assert main(["-C", str(project), "diff", "_63", "_83"]) == 2
    err = capsys.readouterr().err
    assert needle in err, err
    return err


def test_malformed_yaml(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "revisions" / "_83" / "changes.yaml"
    path.write_text(path.read_text("utf-8").replace("    motive: 第3回有識者会議\n",
                                                    "    motive: [第3回有識者会議\n", 1), "utf-8")  # fmt: skip
    _expect_exit_2(project, capsys, "revisions/_83/changes.yaml:")
    assert main(["-C", str(project), "check"]) == 2


def test_duplicate_number(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "revisions" / "_83" / "changes.yaml"
    path.write_text(path.read_text("utf-8").replace("  - number: 3\n", "  - number: 2\n"), "utf-8")
    err = _expect_exit_2(project, capsys, "revisions/_83/changes.yaml:")
    line = next(i for i, ln in enumerate(path.read_text("utf-8").split("\n"), 1)
                if ln == "  - number: 2" and i > 10)  # fmt: skip
    assert f"changes.yaml:{line}:13: duplicate No. 2 (already used at " in err


def test_unknown_section_label(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "revisions" / "_63" / "changes.yaml"
    path.write_text(path.read_text("utf-8").replace("[sec-2-1]", "[sec-9-9]"), "utf-8")
    line = next(i for i, ln in enumerate(path.read_text("utf-8").split("\n"), 1) if "sec-9-9" in ln)
    _expect_exit_2(project, capsys, f"revisions/_63/changes.yaml:{line}:16: No. 1: unknown "
                                    "section label 'sec-9-9'")  # fmt: skip


def test_unknown_version(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(project), "diff", "_63", "_99"]) == 2
    assert "revisions/history.yaml:1:1: unknown version '_99'" in capsys.readouterr().err


def test_changes_of_a_version_not_in_history(project: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    (project / "revisions" / "_70").mkdir()
    shutil.copy(project / "revisions" / "_63" / "changes.yaml", project / "revisions" / "_70")
    _expect_exit_2(project, capsys, "revisions/_70/changes.yaml:1:1: version '_70' is not listed")


def test_wrong_from_version(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "revisions" / "_83" / "changes.yaml"
    path.write_text(
        path.read_text("utf-8").replace("    from: _63\n", "    from: _62\n", 1), "utf-8"
    )
    line = next(i for i, ln in enumerate(path.read_text("utf-8").split("\n"), 1) if "_62" in ln)
    _expect_exit_2(project, capsys, f"changes.yaml:{line}:11: 'from' is '_62' but the version "
                                    "before '_83' in the history is _63")  # fmt: skip


def test_bad_history_entries(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "revisions" / "history.yaml"
    text = path.read_text("utf-8").replace("    date: undetermined", "    date: 2021-02-30")
    text = text.replace("    status: draft\n", "    status: final\n", 1)
    path.write_text(text, "utf-8")
    err = _expect_exit_2(project, capsys, "revisions/history.yaml:")
    lines = text.split("\n")
    status_line = next(i for i, ln in enumerate(lines, 1) if "status: final" in ln)
    assert f"history.yaml:{status_line}:13: 'status' must be one of draft, published" in err
    assert main(["-C", str(project), "check"]) == 2
    err = capsys.readouterr().err
    date_line = next(i for i, ln in enumerate(lines, 1) if "2021-02-30" in ln)
    assert f"history.yaml:{date_line}:11: 'date' '2021-02-30' is not" in err


def test_unknown_key_is_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "revisions" / "_63" / "changes.yaml"
    path.write_text(path.read_text("utf-8").replace("    reason:", "    reasons:"), "utf-8")
    err = _expect_exit_2(project, capsys, "revisions/_63/changes.yaml:")
    assert "unknown key 'reasons' (did you mean 'reason'?)" in err
