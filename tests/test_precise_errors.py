"""Bad input that used to give silently wrong output gives a precise error or warning.

An emptied glossary file, a history.yaml that does not parse (and errors that follow only
from it), glossary errors named like every other file, an unclosed fence that swallows
the rest of a chapter.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hoshin.cli import main

CHAPTER = Path("source") / "1" / "1-1.md"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("precise") / "p"
    assert main(["init", str(root), "--title", "試しの方針", "--issuer", "試し市"]) == 0
    assert main(["-C", str(root), "freeze", "v1", "--summary", "最初の版"]) == 0
    return root


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(template, root, symlinks=True)
    return root


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    return code, (printed.out + printed.err).splitlines()


@pytest.mark.parametrize("content", ["", "\n\n", "# 用語はあとで書きます\n"])
def test_empty_glossary_file_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    (project / "glossary" / "terms.yaml").write_text(content, "utf-8")
    code, lines = _run(capsys, "-C", str(project), "check", "--only", "glossary")
    assert code == 2 and "glossary/terms.yaml:1:1: file is empty" in lines, lines
    code, lines = _run(capsys, "-C", str(project), "build")
    assert code == 2 and "glossary/terms.yaml:1:1: file is empty" in lines, lines
    assert not (project / "_build" / "html").exists()


def test_an_empty_list_is_an_empty_glossary_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "glossary" / "terms.yaml").write_text("# まだありません\n[]\n", "utf-8")
    code, lines = _run(capsys, "-C", str(project), "check", "--only", "glossary")
    assert code == 0, lines


def test_glossary_errors_name_files_relative_to_the_project(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terms = project / "glossary" / "terms.yaml"
    terms.write_text(terms.read_text("utf-8").replace("あいしーてぃー", "ICT"), "utf-8")
    expected = "glossary/terms.yaml:3:12: 'reading' 'ICT' must be hiragana (and ー)"
    monkeypatch.chdir(tmp_path)  # -C from elsewhere, and from inside the project
    for argv in (["-C", str(project)], ["-C", "p"]):
        for action in ("list", "check", "suggest"):
            extra = ["情報"] if action == "suggest" else []
            code, lines = _run(capsys, *argv, "glossary", action, *extra)
            assert expected in lines, (argv, action, lines)
    monkeypatch.chdir(project)
    code, lines = _run(capsys, "glossary", "list")
    assert code == 2 and expected in lines, lines


def test_history_syntax_error_is_the_only_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A history.yaml that does not parse lists no versions; the change records of every
    frozen version are then not "not listed in history.yaml": that would send the reader to
    the wrong file."""
    (project / "revisions" / "v1" / "changes.yaml").write_text(
        "changes:\n  - number: 1\n    motive: 試し\n    sections: [sec-1-1]\n"
        "    old: null\n    new: null\n    reason: 試し\n",
        "utf-8",
    )
    history = project / "revisions" / "history.yaml"
    history.write_text(history.read_text("utf-8").replace("- id: v1", "- id: [v1"), "utf-8")
    code, lines = _run(capsys, "-C", str(project), "check", "--only", "revisions")
    errors = [ln for ln in lines if ": " in ln and not ln.startswith("hoshin check")]
    assert code == 2
    assert len(errors) == 1 and errors[0].startswith("revisions/history.yaml:5:12: "), lines
    assert "invalid YAML" in errors[0]
    assert not any("not listed" in ln for ln in lines)


@pytest.mark.parametrize(
    ("text", "opening", "col"),
    [
        ("```{note}\n注意です。\n\n## 次の節\n\n本文\n", "```{note}", 1),
        ("```python\nprint(1)\n\n本文\n", "```python", 1),
        (":::{figure} a.png\n図\n\n本文\n", ":::{figure} a.png", 1),
        ("  ~~~~\n  コード\n  ~~~\n", "~~~~", 3),
        ("::::{note}\n```{tip}\nヒント\n```\n本文\n:::\n", "::::{note}", 1),
    ],
)
def test_unclosed_fence_is_reported_where_it_opens(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, opening: str, col: int
) -> None:
    chapter = project / CHAPTER
    before = chapter.read_text("utf-8").rstrip("\n") + "\n\n"
    line = before.count("\n") + 1
    chapter.write_text(before + text, "utf-8")
    marker = opening[: len(opening) - len(opening.lstrip(opening[0]))]
    message = f"fence '{opening}' is never closed: the rest of the page is inside it; close it "
    code, lines = _run(capsys, "-C", str(project), "check", "--only", "sources")
    assert code == 1
    assert f"{CHAPTER}:{line}:{col}: {message}with a line '{marker}' [unclosed-fence]" in lines


def test_closed_fences_are_not_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chapter = project / CHAPTER
    chapter.write_text(chapter.read_text("utf-8") + "\n````md\n```{note}\n````\n\n"
                       ":::{note}\n```python\nx\n```\n:::\n", "utf-8")  # fmt: skip
    code, lines = _run(capsys, "-C", str(project), "check", "--only", "sources")
    assert code == 0, lines


def test_unclosed_fence_warns_in_the_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chapter = project / CHAPTER
    before = chapter.read_text("utf-8").rstrip("\n") + "\n\n"
    line = before.count("\n") + 1
    chapter.write_text(before + "```{note}\n注意です。\n\n## 次の節\n", "utf-8")
    code, lines = _run(capsys, "-C", str(project), "build")
    assert code == 0
    assert (f"{CHAPTER}:{line}: WARNING: fence '```{{note}}' is never closed: the rest of the "
            "page is inside it; close it with a line '```' [hoshin.markup]") in lines  # fmt: skip
    assert main(["-C", str(project), "build", "--strict", "--force"]) == 1
