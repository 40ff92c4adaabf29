"""The search text store: the page's own words, word boundaries, nothing hidden (issue 21)."""

from __future__ import annotations

import json

from docutils import nodes

from hoshin.web.search_store import body_text, page_text
from hoshin.web.search_text import BOUNDARY, PageText, clean_block, mark_words, store_script


def test_boundaries_are_marked_inside_one_script_only() -> None:
    marked = mark_words("文書管理事務の効率化を図る情報セキュリティ")
    assert marked.split(BOUNDARY) == ["文書", "管理", "事務の効率", "化を図る情報セキュリティ"]
    assert marked.replace(BOUNDARY, "") == "文書管理事務の効率化を図る情報セキュリティ"


def test_source_line_breaks_inside_japanese_text_are_dropped() -> None:
    assert clean_block("情報\n  セキュリティ and\nICT") == "情報セキュリティ and ICT"


def _doc_with_tooltip() -> nodes.document:
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    doc = new_document("test", get_default_settings(Parser))
    section = nodes.section(ids=["top"])
    section += nodes.title("", "推進体制")
    sub = nodes.section(ids=["cio"])
    sub += nodes.title("", "役割")
    para = nodes.paragraph()
    para += nodes.Text("担当副市長を")
    para += nodes.reference("", "CIO", refuri="glossary.html#term-cio")
    para += nodes.Text("とします。")
    sub += para
    sub += nodes.comment("", "編集者のメモ")
    hidden = nodes.paragraph("", "出典の記録", classes=["no-search"])
    sub += hidden
    section += sub
    doc += section
    return doc


def test_page_text_is_block_by_block_with_sections_and_no_hidden_text() -> None:
    page = page_text(_doc_with_tooltip())
    plain = page.text.replace(BOUNDARY, "")
    assert plain == "推進体制\n役割\n担当副市長をCIOとします。"
    assert page.sections == [(plain.index("役割"), "cio")]


def test_body_html_loses_tooltips_and_scripts_and_keeps_anchors() -> None:
    body = (
        '<h2 id="t1">新旧対照表</h2><table><tr><td>業務システムの'
        '<span class="hoshin-term-wrap"><a href="#">冗長化</a>'
        '<span class="hoshin-tip" role="tooltip" hidden>二重にすることです。</span></span>'
        "を図る</td></tr></table><script>var x = 1;</script>"
    )
    page = body_text(body)
    plain = page.text.replace(BOUNDARY, "")
    assert plain == "新旧対照表\n業務システムの冗長化を図る"
    assert page.sections == [(0, "t1")]


def test_store_is_a_script_that_keeps_the_marks_as_one_byte() -> None:
    script = store_script([("a.html", PageText("題", f"理事{BOUNDARY}会", [(0, "x")]))])
    assert script.startswith("window.hoshinSearchText=") and script.endswith(";\n")
    rows = json.loads(script[len("window.hoshinSearchText=") : -2])
    assert rows == [["a.html", "題", f"理事{BOUNDARY}会", [[0, "x"]]]]
    assert "\\u007f" not in script
