"""``hoshin init``: a new municipality's project builds at once, and init never overwrites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.history import load_revisions


@pytest.mark.slow
def test_new_project_builds_strict_at_once(tmp_path: Path) -> None:
    target = tmp_path / "kawa-plan"
    assert main(["init", str(target), "--title", "川市 情報化方針", "--issuer", "川市"]) == 0
    for name in (
        "conf.py",
        "source/index.md",
        "source/1/1-1.md",
        "glossary/terms.yaml",
        "revisions/history.yaml",
        "Makefile",
        "README.md",
        ".gitignore",
    ):
        assert (target / name).is_file(), name
    data = load_revisions(target)
    assert data.errors == [] and data.ids == []  # the town's first freeze makes version 1
    assert sorted(p.name for p in (target / "revisions").iterdir()) == ["history.yaml"]
    assert main(["-C", str(target), "build", "--strict"]) == 0
    index = (target / "_build/html/index.html").read_text("utf-8")
    assert "川市 情報化方針" in index
    assert 'lang="ja"' in index
    assert "kawa-plan" in (target / "conf.py").read_text("utf-8")


def test_init_starts_an_empty_history(tmp_path: Path) -> None:
    """The sample is there to look at; the town's own first freeze makes version 1."""
    target = tmp_path / "town"
    assert main(["init", str(target), "--title", "町の方針", "--issuer", "町"]) == 0
    assert (target / "source/1/1-1.md").is_file()
    assert load_revisions(target).ids == []
    assert not (target / "revisions" / "v1").exists()
    assert main(["-C", str(target), "check"]) == 0  # no version: nothing counts as a change
    assert main(["-C", str(target), "freeze", "r1", "--summary", "最初の版"]) == 0
    assert load_revisions(target).ids == ["r1"]


def test_init_refuses_a_non_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("大切なファイル", "utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "not empty; hoshin init never overwrites" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


@pytest.mark.slow
def test_release_stops_at_the_first_failing_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "p"
    assert main(["init", str(target), "--title", "川市 情報化方針", "--issuer", "川市"]) == 0
    assert main(["-C", str(target), "freeze", "v1", "--summary", "最初の版"]) == 0
    chapter = target / "source/1/1-1.md"
    chapter.write_text(chapter.read_text("utf-8") + "- 市では、手続の案内を見直します。\n", "utf-8")
    assert main(["-C", str(target), "release", "v2", "--summary", "見直し"]) == 1
    messages = capsys.readouterr().err
    assert "stopped at step 'check'" in messages
    assert "1-1.md" in messages and "改版記録がありません" in messages
    assert load_revisions(target).ids == ["v1"]  # nothing frozen
    assert not (target / "revisions/v2").exists()


#: What belongs to the embedded edition only: its city, its meeting date, its allowances.
EMBEDDED = re.compile(
    r"上越|新潟|joetsu|jōetsu|総務管理部|2021-06-03|令和3年6月3日|1622678400|seed_page",
    re.IGNORECASE,
)


def test_a_new_project_carries_nothing_of_the_embedded_edition(tmp_path: Path) -> None:
    target = tmp_path / "town"
    assert main(["init", str(target), "--title", "町の方針", "--issuer", "町"]) == 0
    leaks = [
        f"{path.relative_to(target)}: {match.group(0)}"
        for path in sorted(target.rglob("*"))
        if path.is_file()
        for match in EMBEDDED.finditer(path.read_text("utf-8"))
    ]
    assert leaks == []
    from hoshin.lint.textlint import load_config

    assert load_config(target / ".textlintrc.json")["hoshin"]["allow"] == []
    assert "prh.yml" in (target / ".textlintrc.json").read_text("utf-8")


def test_init_help_names_no_city(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["init", "--help"])
    assert not EMBEDDED.search(capsys.readouterr().out)
