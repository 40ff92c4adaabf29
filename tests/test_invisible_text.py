"""Control characters and bidi overrides are refused wherever a project holds text.

An escape sequence in a change reason retitles the terminal and clears the screen when a
message quotes it; a right-to-left override makes a sentence read other than it is stored;
a NUL byte in a chapter turns into U+FFFD on the page. Every YAML string (through the shared
loader) and every chapter line is checked, with ``file:line:col``; and whatever the CLI
prints shows such characters as ``\\x1b`` or ``<U+202E>``, never obeys them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.cli.console import err, out, printable
from hoshin.core.mystdoc import read_document
from hoshin.core.yamlio import DataError, load_yaml

CHAPTER = Path("source") / "1" / "1-1.md"
RAW = ("\x1b", "\x07", "\x00", "\u202e", "\x9b")


@pytest.mark.parametrize(
    ("content", "position", "fragment"),
    [
        (b'a:\n  b: "X\\e]0;PWNED\\a\\e[2J"\n', (2, 6), "control character U+001B (ESC)"),
        (b"a: abc\x1b[2J\n", (1, 7), "control character U+001B (ESC)"),
        ("a: 右から\u202e左へ\n".encode(), (1, 7), "bidi control U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        (b'a: "\\u2066x\\u2069"\n', (1, 4), "bidi control U+2066 (LEFT-TO-RIGHT ISOLATE)"),
        (b'"k\\e": 1\n', (1, 1), "control character U+001B (ESC)"),
        (b"a: 1\nb: x\x00y\n", (2, 5), "control character U+0000 (NUL)"),
        (b"a: x\x7fy\n", (1, 5), "control character U+007F (DEL)"),
        ("a: x\u0085y\n".encode(), (1, 5), "control character U+0085 (NEL)"),
        (b'a: "x\\x9b2J"\n', (1, 4), "control character U+009B (CSI)"),
        (b"a: 1\rb: 2\n", (1, 5), "carriage return (CR) without a line feed"),
        (b"a: 1\r\nb: |\r\n  x\x08y\r\n", (3, 4), "control character U+0008 (BS)"),
    ],
)
def test_yaml_refuses_controls_with_position(
    tmp_path: Path, content: bytes, position: tuple[int, int], fragment: str
) -> None:
    path = tmp_path / "data.yaml"
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        load_yaml(path)
    assert fragment in info.value.message
    assert (info.value.line, info.value.col) == position


def test_yaml_text_given_by_the_caller_is_checked_too(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        load_yaml(tmp_path / "history.yaml", text="versions:\n  - id: v\u202e1\n")
    assert (info.value.line, info.value.col) == (2, 10)


def test_tab_newline_and_crlf_stay_accepted(tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_bytes(b'a: "x\\ty"\r\nb: |\r\n  one\r\n  two\r\n')
    assert load_yaml(path).data == {"a": "x\ty", "b": "one\ntwo\n"}


def test_printed_text_shows_controls_instead_of_obeying_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err("x.yaml:1:1: 'X\x1b]0;PWNED\x07\x1b[2J' 右\u202e左\x00\tend")
    out("line one\nline two \x9b")
    printed = capsys.readouterr()
    assert printed.err == "x.yaml:1:1: 'X\\x1b]0;PWNED\\x07\\x1b[2J' 右<U+202E>左\\x00\tend\n"
    assert printed.out == "line one\nline two \\x9b\n"
    assert printable("改行\nとタブ\tはそのまま") == "改行\nとタブ\tはそのまま"


# -- through the CLI, in a small project ----------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("invisible") / "p"
    assert main(["init", str(root), "--title", "試しの方針", "--issuer", "試し市"]) == 0
    assert main(["-C", str(root), "freeze", "v1", "--summary", "最初の版"]) == 0
    return root


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(template, root, symlinks=True)
    return root


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    printed = capsys.readouterr()
    output = printed.out + printed.err
    assert "Traceback" not in output
    for char in RAW:
        assert char not in output, f"raw {char!r} printed"
    return code, output


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


CHANGES = """changes:
  - number: 1
    motive: "X\\e]0;PWNED\\a\\e[2J"
    sections: [sec-1-1]
    old: null
    new: null
    reason: 試し
"""


def test_escape_in_a_change_record_stops_check_and_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = project / "revisions" / "current" / "changes.yaml"
    changes.parent.mkdir()
    changes.write_text(CHANGES, "utf-8")
    expected = "revisions/current/changes.yaml:3:13: control character U+001B (ESC) is not allowed"
    code, output = _run(capsys, "-C", str(project), "check", "--only", "revisions")
    assert code == 2 and expected in output, output
    code, output = _run(capsys, "-C", str(project), "build", "--office")
    assert code == 2 and expected in output, output
    assert not (project / "_build" / "html").exists()
    assert not (project / "_build" / "office").exists()


def test_bidi_override_in_history_and_glossary(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _replace(project / "revisions" / "history.yaml", "summary: 最初の版", "summary: 最初の\u202e版")
    _replace(project / "glossary" / "terms.yaml", "情報通信技術", '"情報\\u202E通信技術')
    _replace(project / "glossary" / "terms.yaml", "をいいます。\n", 'をいいます。"\n')
    code, output = _run(capsys, "-C", str(project), "check")
    assert code == 2
    lines = [ln for ln in output.splitlines() if "bidi control U+202E" in ln]
    assert [ln.split(": ", 1)[0] for ln in lines] == [
        "revisions/history.yaml:9:17",
        "glossary/terms.yaml:5:15",
    ], output


@pytest.mark.parametrize(
    ("text", "col", "fragment"),
    [
        ("本文\x00です。", 3, "control character U+0000 (NUL)"),
        ("本文\x1b[31mです。", 3, "control character U+001B (ESC)"),
        ("価格は\u202e円001\u202cです。", 4, "bidi control U+202E"),
        ("行末\r途中の CR", 3, "carriage return (CR) without a line feed"),
    ],
)
def test_chapter_line_with_control_is_an_error_with_its_position(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, col: int, fragment: str
) -> None:
    chapter = project / CHAPTER
    before = chapter.read_text("utf-8").rstrip("\n") + "\n\n"
    line = before.count("\n") + 1
    chapter.write_bytes((before + text + "\n").encode("utf-8"))
    expected = f"{CHAPTER}:{line}:{col}: {fragment}"
    code, output = _run(capsys, "-C", str(project), "check", "--only", "sources")
    assert code == 2 and expected in output, output
    assert "position" not in output
    code, output = _run(capsys, "-C", str(project), "build")
    assert code == 2 and expected in output, output
    assert not (project / "_build" / "html").exists()


def test_crlf_chapter_is_accepted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chapter = project / CHAPTER
    chapter.write_bytes(chapter.read_bytes().replace(b"\n", b"\r\n"))
    code, output = _run(capsys, "-C", str(project), "check", "--only", "sources")
    assert code == 0, output


def test_a_frozen_page_with_a_control_is_refused_by_the_scanner(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages ``hoshin check`` does not read (a frozen version's) are refused when scanned
    for a comparison, so ``hoshin diff`` and the office files never carry them."""
    page = project / "revisions" / "v1" / CHAPTER
    page.write_bytes(page.read_bytes() + "\n追記\x1b[2J\n".encode())
    monkeypatch.chdir(project)
    with pytest.raises(DataError) as info:
        read_document(project / "revisions" / "v1" / "source")
    assert info.value.message.startswith("control character U+001B (ESC)")
    assert (info.value.path, info.value.col) == (f"revisions/v1/{CHAPTER}", 3)


@pytest.mark.parametrize(
    "line,expected",
    [
        ('project = "試しの方針\\x1b]0;PWNED\\x07"', "conf.py:3:11: the value of project: control character U+001B (ESC)"),
        ('hoshin_issuer = "試し\\u202e市"', "conf.py:{n}:17: the value of hoshin_issuer: bidi control U+202E"),
        ('html_context = {"note": ["a\\x00"]}', "conf.py:{n}:16: the value of html_context: control character U+0000 (NUL)"),
    ],
)  # fmt: skip
def test_conf_values_with_controls_stop_check_and_build(
    project: Path, capsys: pytest.CaptureFixture[str], line: str, expected: str
) -> None:
    """A control character written as an escape in conf.py is not in its text: the value is
    checked after conf.py runs, and located at its assignment."""
    conf = project / "conf.py"
    text = conf.read_text("utf-8")
    if line.startswith("project"):
        _replace(conf, 'project = "試しの方針"', line)
    else:
        conf.write_text(text + line + "\n", "utf-8")
    expected = expected.format(n=len(conf.read_text("utf-8").splitlines()))
    code, output = _run(capsys, "-C", str(project), "check", "--only", "config")
    assert code == 2 and expected in output, output
    code, output = _run(capsys, "-C", str(project), "build")
    assert code == 2 and expected in output, output
    assert not (project / "_build" / "html").exists()
