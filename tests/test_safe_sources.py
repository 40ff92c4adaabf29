"""Pages cannot publish the build machine's files, nor run raw HTML or LaTeX by default.

Each attack goes into a chapter of a tiny ``hoshin init`` project: ``hoshin check`` and
``hoshin build`` stop with ``file:line:col`` (exit 2, nothing built); Sphinx itself, run
without hoshin's preflight, fails on the same pages (CRITICAL), and TeX runs sandboxed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.sitebuild import BuildFailed, run_sphinx

CHAPTER = Path("source") / "1" / "1-1.md"

#: (name, text appended to the chapter, expected message part); the error is on line 3 of
#: the appended text (after two blank lines) unless the case says otherwise.
ATTACKS = [
    ("literalinclude-dotdot", "```{literalinclude} ../../../../../../../../etc/passwd\n```\n",
     "はプロジェクトの外のファイルです（/etc/passwd）"),
    ("literalinclude-absolute-escape", "```{literalinclude} /../../../../../../etc/passwd\n```\n",
     "はプロジェクトの外のファイルです（/etc/passwd）"),
    ("include-dotdot", "```{include} ../../../../../../../../etc/passwd\n```\n",
     "はプロジェクトの外のファイルです（/etc/passwd）"),
    ("include-missing", "```{include} missing.md\n```\n", "include が読み込むファイル「missing.md」がありません"),
    ("csv-table-file-absolute", "```{csv-table} 表\n:file: /etc/passwd\n```\n",
     "csv-table が読み込むファイル「/etc/passwd」がありません"),
    ("csv-table-file-dotdot", "```{csv-table} 表\n:file: ../../../../../../../etc/passwd\n```\n",
     "はプロジェクトの外のファイルです（/etc/passwd）"),
    ("csv-table-yaml-options", "```{csv-table} 表\n---\nfile: ../../../../../../../etc/passwd\n---\n```\n",
     "はプロジェクトの外のファイルです（/etc/passwd）"),
    ("csv-table-url", "```{csv-table} 表\n:url: http://x.example/a.csv\n```\n", "の :url: は使えません"),
    ("image", "```{image} ../../../../../../../usr/share/pixmaps/debian-logo.png\n```\n",
     "はプロジェクトの外のファイルです"),
    ("figure", ":::{figure} ../../../../../../../etc/hostname\n図\n:::\n", "はプロジェクトの外のファイルです"),
    ("markdown-image", "![図](../../../../../../../etc/hostname)\n", "はプロジェクトの外のファイルです"),
    ("mermaid-file", "```{mermaid} ../../../../../../../etc/hostname\n```\n", "はプロジェクトの外のファイルです"),
    ("flow-file", "```{flow} ../../../../../../../etc/hostname\n```\n", "はプロジェクトの外のファイルです"),
    ("raw-html", "```{raw} html\n<script>alert(1)</script>\n```\n", "html の生のマークアップ（raw）は使えません"),
    ("raw-latex-openin", "```{raw} latex\n\\newread\\x \\openin\\x=/etc/passwd\n```\n",
     "latex の生のマークアップ（raw）は使えません"),
    ("raw-file", "```{raw} html\n:file: /etc/passwd\n```\n", "はプロジェクトの外のファイルです（/etc/passwd）"),
    ("inline-script", "本文 <script>alert(1)</script> です。\n", "本文の HTML（<script>）は使えません"),
    ("html-block", "<iframe src=\"x\"></iframe>\n", "本文の HTML（<iframe src=\"x\"></iframe>）は使えません"),
    ("html-in-note", ":::{note}\n注意 <img src=x onerror=alert(2)>\n:::\n", "本文の HTML（<img src=x onerror=alert(2)>）"),
    ("eval-rst-raw", "```{eval-rst}\n.. raw:: html\n\n   <script>alert(1)</script>\n```\n",
     "html の生のマークアップ（raw）は使えません"),
    ("eval-rst-include", "```{eval-rst}\n.. include:: ../../../../../../../etc/passwd\n```\n",
     "はプロジェクトの外のファイルです（/etc/passwd）"),
]  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("safe") / "p"
    assert main(["init", str(root), "--title", "試しの方針", "--issuer", "試し市"]) == 0
    return root


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(template, root, symlinks=True)
    return root


def _append(root: Path, text: str) -> int:
    """Append ``text`` after a blank line; return the line number of its first line."""
    chapter = root / CHAPTER
    before = chapter.read_text("utf-8").rstrip("\n") + "\n\n"
    chapter.write_text(before + text, "utf-8")
    return before.count("\n") + 1


@pytest.mark.parametrize("name,text,message", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_check_refuses_attack(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    first = _append(project, text)
    assert main(["-C", str(project), "check", "--only", "files"]) == 2
    printed = capsys.readouterr()
    output = printed.out + printed.err
    assert message in output, output
    located = next(ln for ln in output.splitlines() if message in ln)
    path, line, col, _ = located.split(":", 3)
    assert path == str(CHAPTER)
    assert first <= int(line) <= first + 3 and int(col) >= 1


def test_build_stops_before_sphinx(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = _append(project, ATTACKS[0][1])
    assert main(["-C", str(project), "build"]) == 2
    err = capsys.readouterr().err
    assert (
        f"{CHAPTER}:{first}:4: 「../../../../../../../../etc/passwd」はプロジェクトの外のファイルです"
        in err
    )
    assert not (project / "_build" / "html").exists()


@pytest.mark.parametrize(
    "directive,content,where,message",
    [
        ("csv-table", "項目,内容\n名称,X\x1b]0;PWNED\x07\n", "2:5",
         "control character U+001B (ESC) is not allowed"),
        ("literalinclude", "一行目\n二行目\u202e逆\n", "2:4",
         "bidi control U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed"),
        ("include", "本文\x00です。\n", "1:3", "control character U+0000 (NUL) is not allowed"),
    ],
)  # fmt: skip
def test_files_a_page_shows_hold_no_control_characters(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    directive: str,
    content: str,
    where: str,
    message: str,
) -> None:
    """A file a chapter shows as text is refused like the chapter itself would be."""
    (project / "source" / "1" / "data.txt").write_text(content, "utf-8")
    option = ":file: data.txt\n" if directive == "csv-table" else ""
    argument = "" if directive == "csv-table" else " data.txt"
    _append(project, f"```{{{directive}}}{argument}\n{option}```\n")
    assert main(["-C", str(project), "check", "--only", "files"]) == 2
    printed = capsys.readouterr()
    output = printed.out + printed.err
    assert f"source/1/data.txt:{where}: {message}" in output, output
    assert "\x1b]" not in output and "\u202e" not in output
    assert main(["-C", str(project), "build"]) == 2
    assert not (project / "_build" / "html").exists()


def test_symlink_to_outside_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "source" / "1" / "leak.md").symlink_to("/etc/hostname")
    (project / "source" / "inside.md").symlink_to(project / "README.md")  # inside: fine
    assert main(["-C", str(project), "check", "--only", "files"]) == 2
    out = capsys.readouterr()
    lines = [ln for ln in (out.out + out.err).splitlines() if "シンボリックリンク" in ln]
    assert lines == [
        "source/1/leak.md:1:1: プロジェクトの外を指すシンボリックリンクです（→ /etc/hostname）。"
        "ファイルそのものをプロジェクトに置きます"
    ]


def test_harmless_markup_is_accepted(project: Path) -> None:
    """Autolinks, HTML comments, hard line breaks, code blocks showing HTML, files inside."""
    (project / "source" / "1" / "table.csv").write_text("a,b\n1,2\n", "utf-8")
    _append(project, "<https://example.jp/>\n\n<!-- 編集メモ -->\n\n行末で改行\\\n次の行\n\n"
            "```html\n<script>alert(1)</script>\n```\n\n"
            "```{csv-table} 表\n:file: table.csv\n```\n\n"
            "```{literalinclude} /1/table.csv\n```\n")  # fmt: skip
    assert main(["-C", str(project), "check", "--only", "files"]) == 0


def test_allow_raw_in_conf(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _append(project, '```{raw} html\n<b id="allowed">raw</b>\n```\n\n本文 <em>強調</em>\n')
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nhoshin_allow_raw = ["html"]\n')
    assert main(["-C", str(project), "check", "--only", "files"]) == 0
    assert main(["-C", str(project), "build"]) == 0
    html = (project / "_build" / "html" / "1" / "1-1.html").read_text("utf-8")
    assert '<b id="allowed">raw</b>' in html and "<em>強調</em>" in html


def test_allow_raw_rejects_unknown_format(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nhoshin_allow_raw = ["javascript"]\n')
    assert main(["-C", str(project), "check", "--only", "config"]) == 2
    assert "hoshin_allow_raw may name only 'html' and 'latex'" in capsys.readouterr().err


def test_sphinx_itself_fails_on_the_same_pages(project: Path, tmp_path: Path) -> None:
    """Without hoshin's preflight (a frozen version, another entry point), the guard inside
    Sphinx logs CRITICAL and the build fails; a missing include (CRITICAL) fails it too."""
    _append(project, "```{literalinclude} ../../../../../../../../etc/passwd\n```\n\n"
            "本文 <script>alert(1)</script>\n\n```{include} missing.md\n```\n")  # fmt: skip
    with pytest.raises(BuildFailed) as failed:
        run_sphinx(confdir=project, srcdir=project / "source", outdir=tmp_path / "out",
                   doctreedir=tmp_path / "doctrees")  # fmt: skip
    output = failed.value.output
    assert "CRITICAL: 「" in output and "はプロジェクトの外のファイルです（/etc/passwd）" in output
    assert "1-1.md:" in output and "CRITICAL: html の生のマークアップ（raw）は使えません" in output
    assert 'CRITICAL: Directive "include": file not found' in output


@pytest.mark.skipif(shutil.which("uplatex") is None, reason="TeX is checked by test_pdf")
def test_tex_runs_sandboxed(tmp_path: Path) -> None:
    """Even LaTeX a project allowed cannot read /etc/passwd nor write outside its folder."""
    from hoshin.revisions.pdfbuild import _env

    env = _env()
    assert (env["openin_any"], env["openout_any"], env["shell_escape"]) == ("p", "p", "f")
    assert "openin_any" not in os.environ  # set for hoshin's runs only
    outside = tmp_path.parent / f"{tmp_path.name}-written.txt"
    (tmp_path / "r.tex").write_text(
        "\\documentclass{article}\\begin{document}\\newread\\x\\openin\\x=/etc/passwd "
        "\\ifeof\\x NOFILE\\else\\read\\x to\\l LEAKED\\fi\\end{document}\n"
    )
    (tmp_path / "w.tex").write_text(
        f"\\documentclass{{article}}\\begin{{document}}\\immediate\\openout5={outside} "
        "\\immediate\\write5{x}\\immediate\\closeout5 x\\end{document}\n"
    )
    for name in ("r.tex", "w.tex"):
        subprocess.run(["uplatex", "-interaction=nonstopmode", name], cwd=tmp_path, env=env,
                       capture_output=True, check=False)  # fmt: skip
    dvi = (tmp_path / "r.dvi").read_bytes()
    assert b"NOFILE" in dvi and b"LEAKED" not in dvi
    assert "I can't write on file" in (tmp_path / "w.log").read_text("utf-8")
    assert not outside.exists()
