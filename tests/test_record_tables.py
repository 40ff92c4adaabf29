"""改訂箇所 and 改版履歴 tables: recorded ``<p>`` paragraphs, rows that break across PDF pages.

One small project with a record as long as the seed's No.10 (several ``<p>`` paragraphs on
each side) is frozen twice and built once per module.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.frozen import FreezeRequest, freeze
from hoshin.core.recordtext import paragraphs, plain
from hoshin.pdf.rowsplit import breakable_longtable, record_rows, split_paragraph

CONF = """\
project = "試しの方針"
author = "試し市"
language = "ja"
extensions = ["hoshin"]
html_theme = "basic"
hoshin_project_slug = "records"
"""
INDEX = "(cover)=\n# 試しの方針\n\n```{toctree}\na\nrevisions\n```\n"
REVISIONS = "(revisions)=\n# 改版履歴\n\n```{revision-history}\n:details:\n```\n\n" \
    "```{revision-changes}\n```\n"  # fmt: skip
#: Four long paragraphs a side: together far taller than a landscape page in one row.
OLD_PARAS = ["◆ " + "".join(f"市では第{i}段落の{j}文目まで業務システムの冗長化を図ってきました。"
                             for j in range(1, 9)) for i in range(1, 5)]  # fmt: skip
NEW_PARAS = ["◆ " + "".join(f"市では第{i}段落の{j}文目まで業務システムの二重化を図り整えました。"
                             for j in range(1, 9)) for i in range(1, 5)]  # fmt: skip
LITERAL = "<b>太字</b>のタグ & 記号"


def _cell(paras: list[str]) -> str:
    return " ".join(f"<p>{p}</p>" for p in paras)


def _page(body: str) -> str:
    return f"(sec-a)=\n# 1.方針\n\n{body}\n"


def _write(root: Path, body: str) -> None:
    (root / "source").mkdir(exist_ok=True)
    (root / "source" / "index.md").write_text(INDEX, "utf-8")
    (root / "source" / "revisions.md").write_text(REVISIONS, "utf-8")
    (root / "source" / "a.md").write_text(_page(body), "utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("records") / "p"
    root.mkdir()
    (root / "conf.py").write_text(CONF, "utf-8")
    (root / "revisions").mkdir()
    (root / "revisions" / "history.yaml").write_text("versions:\n", "utf-8")
    _write(root, "\n\n".join(OLD_PARAS))
    freeze(root, FreezeRequest("v1", "最初の素案", events=("第1回会議",), date="2021-03-01"))
    _write(root, "\n\n".join(NEW_PARAS))
    (root / "revisions" / "current").mkdir()
    (root / "revisions" / "current" / "changes.yaml").write_text(
        "changes:\n"
        f"  - number: 1\n    motive: 第2回会議\n    page: 1\n    sections: [sec-a]\n"
        f"    old: '{_cell(OLD_PARAS)}'\n    new: '{_cell(NEW_PARAS)}'\n"
        "    quote: none\n    reason: 強靱化の関係が見えづらいとの意見を受け\n"
        f"  - number: 2\n    motive: 第2回会議\n    page: 1\n    sections: [sec-a]\n"
        f"    old: null\n    new: '{LITERAL}'\n    quote: none\n    reason: 〃\n",
        "utf-8",
    )
    freeze(root, FreezeRequest("v2", "第2回会議を反映", events=("第2回会議",), date="2021-06-01"))
    return root


# --- pure helpers --------------------------------------------------------------------------


def test_paragraphs_parse_only_paragraph_structure() -> None:
    assert paragraphs("<p>一</p> <P>二<br/>三</p>\n四") == ["一", "二", "三", "四"]
    assert paragraphs(LITERAL) == [LITERAL]  # any other tag is text
    assert paragraphs(None) == [] and paragraphs("  ") == []
    assert plain("<p>一</p><p>二</p>") == "一\n二"


def test_long_paragraphs_split_at_sentence_ends_and_stay_level() -> None:
    long = "あ" * 100 + "。" + "い" * 100 + "。"
    assert split_paragraph(long, 120) == ["あ" * 100 + "。", "い" * 100 + "。"]
    assert split_paragraph("短い。", 120) == ["短い。"]
    rows = record_rows([["1"], ["前1", "前2"], ["後1", long]])
    # paragraph 2 of both sides starts on one row; the long one continues below
    assert rows[0] == ["1", "前1", "後1"]
    assert rows[1][1:] == ["前2", split_paragraph(long)[0]]
    assert "".join(r[2] for r in rows) == "後1" + long


def test_breakable_longtable_escapes_and_rules_between_records_only() -> None:
    tex = breakable_longtable(["No.", "文"], [[["1"], ["a&b", "c"]], [["2"], ["%"]]], [1, 9],
                              title="改訂箇所", targets=[r"\label{x}", ""])  # fmt: skip
    body = tex.split(r"\endlastfoot")[1]
    assert r"\label{x}1 & a\&b\\" in body and r" & c\\ \hline" in body
    assert r"2 & \%\\" in body and r"\caption{改訂箇所}" in tex
    assert r"\endhead" in tex and "前のページからの続き" in tex


# --- web -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    assert main(["-C", str(project), "build"]) == 0
    return project / "_build" / "html"


def test_web_records_show_paragraphs_not_tags(site: Path) -> None:
    page = (site / "revisions.html").read_text("utf-8")
    row = page[page.index('id="change-1"') : page.index('id="change-2"')]
    assert "&lt;p&gt;" not in row and "<p>" not in "".join(OLD_PARAS)
    for para in OLD_PARAS + NEW_PARAS:
        assert re.search(rf"<p>{re.escape(para)}</p>", row), para[:10]
    assert "&lt;b&gt;太字&lt;/b&gt;のタグ &amp; 記号" in page  # other markup stays text


# --- PDF -----------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.slow
def test_pdf_keeps_every_character_of_a_record_taller_than_a_page(project: Path) -> None:
    assert main(["-C", str(project), "build", "--pdf"]) == 0
    pdf = project / "_build" / "pdf" / "records-current.pdf"
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    squashed = _squash(text)
    assert "<p>" not in text and _squash(LITERAL) in squashed
    # A long paragraph may continue on the next table row: compare sentence by sentence.
    sentences = [s for p in OLD_PARAS + NEW_PARAS for s in re.findall(r"[^。]+。", p)]
    missing = [s for s in sentences if _squash(s) not in squashed]
    assert not missing, missing[:3]
    assert "前のページからの続き" in text  # the record did break across pages
