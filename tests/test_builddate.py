"""The working draft's date: SOURCE_DATE_EPOCH, else conf.py's hoshin_draft_date, else the day."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from hoshin.core.builddate import (
    draft_day,
    draft_epoch,
    pinned_source_date,
    setting_problem,
)
from hoshin.core.config import check_conf
from hoshin.pdf.extension import _draft_date_wareki

TODAY = dt.date(2027, 4, 1)


def test_the_day_of_the_build_by_default() -> None:
    epoch = draft_epoch(None, "", environ={}, today=TODAY)
    assert draft_day(epoch) == TODAY


def test_source_date_epoch_wins_over_everything() -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    assert draft_epoch(None, "2020-01-02", environ=env, today=TODAY) == 1700000000


def test_a_fixed_date_in_conf_py() -> None:
    assert draft_day(draft_epoch(None, "2020-01-02", environ={}, today=TODAY)) == dt.date(
        2020, 1, 2
    )


def test_git_dates_the_draft_by_its_last_commit(tmp_path: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2024-02-29T12:00:00+00:00",
           "GIT_COMMITTER_DATE": "2024-02-29T12:00:00+00:00", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    (tmp_path / "conf.py").write_text("", "utf-8")
    for cmd in (["init", "-q"], ["add", "conf.py"], ["commit", "-q", "-m", "first"]):
        subprocess.run(["git", *cmd], cwd=tmp_path, env=env, check=True)
    assert draft_day(draft_epoch(tmp_path, "git", environ={}, today=TODAY)) == dt.date(2024, 2, 29)
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    # Outside git (GIT_CEILING_DIRECTORIES stops the search at tmp_path's parent): the day.
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path.parent)
    try:
        empty = tmp_path.parent / f"{tmp_path.name}-plain"
        empty.mkdir()
        assert draft_day(draft_epoch(empty, "git", environ={}, today=TODAY)) == TODAY
    finally:
        del os.environ["GIT_CEILING_DIRECTORIES"]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("", True), ("git", True), ("2021-06-03", True), ("2021-02-30", False), ("昨日", False)],
)
def test_bad_settings_are_named(value: str, ok: bool) -> None:
    assert (setting_problem(value) is None) == ok


def test_hoshin_check_locates_a_bad_draft_date(tmp_path: Path) -> None:
    conf = tmp_path / "conf.py"
    conf.write_text('project = "x"\nhoshin_draft_date = "2021/06/03"\n', "utf-8")
    [error] = check_conf(conf)
    assert (error.line, error.message.split(" ")[0]) == (2, "hoshin_draft_date")


def test_the_cover_date_follows_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = SimpleNamespace(hoshin_draft_date="2025-11-03")
    assert _draft_date_wareki(config, Path()) == "令和7年11月3日"  # type: ignore[arg-type]
    config = SimpleNamespace(hoshin_draft_date="")
    today = dt.date.today()
    assert _draft_date_wareki(config, Path()).startswith("令和")
    assert f"{today.month}月{today.day}日" in _draft_date_wareki(config, Path())  # type: ignore[arg-type]


def test_one_date_for_a_whole_command_and_restored_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with pinned_source_date(Path(), "2022-05-05") as epoch:
        assert os.environ["SOURCE_DATE_EPOCH"] == str(epoch)
        assert draft_day(epoch) == dt.date(2022, 5, 5)
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_no_city_date_is_a_tool_default() -> None:
    package = Path(__file__).resolve().parents[1] / "_ext" / "hoshin"
    for path in package.rglob("*.py"):
        text = path.read_text("utf-8")
        assert "1622678400" not in text and "SOURCE_DATE_EPOCH_DEFAULT" not in text, path
