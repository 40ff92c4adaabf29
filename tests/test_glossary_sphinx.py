"""The glossary in Sphinx builds: 用語集 page, term links and tooltips, incremental re-reads."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from .conftest import REPO

ROOT = REPO / "tests" / "roots" / "test-glossary"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    return src


def _build(make_app, src: Path, builder: str = "html", **kwargs: object):
    app = make_app(builder, srcdir=src, **kwargs)
    read: list[str] = []
    app.connect("source-read", lambda _app, docname, _source: read.append(docname))
    app.build()
    return app, sorted(read)


def _body(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return html[
        html.index('<div class="body" role="main">') : html.index('<div class="sphinxsidebar"')
    ]


def _linked(body: str) -> list[str]:
    return re.findall(r'<a aria-describedby="[^"]+" class="hoshin-term[^"]*" href="[^"]+"'
                      r'(?: id="[^"]+")?>([^<]+)</a>', body)  # fmt: skip


def test_first_occurrence_per_page_links_with_a_tooltip(make_app, project: Path) -> None:
    app, _ = _build(make_app, project)
    assert app.warning.getvalue() == ""
    body = _body(Path(app.outdir) / "chapter-a.html")
    # heading, code and link text come first and are skipped; each term is linked once
    assert _linked(body) == ["RFI", "ICT", "ICTリテラシー", "クラウド", "基幹系システム",
                             "インタフェース"]  # fmt: skip
    heading = re.search(r"<h1>.*?</h1>", body, re.S).group()
    assert "hoshin-term" not in heading
    assert (
        '<code class="docutils literal notranslate"><span class="pre">クラウド</span></code>'
        in body
    )
    assert '<a class="reference external" href="https://example.org/">クラウドの説明</a>' in body
    link = re.search(r'<span class="hoshin-term-wrap"><a [^>]*>RFI</a><span [^>]*>[^<]*</span>'
                     r"</span>", body).group()  # fmt: skip
    assert 'href="glossary.html#term-rfi"' in link and 'id="hoshin-use-rfi"' in link
    assert 'aria-describedby="hoshin-tip-rfi"' in link
    assert '<span class="hoshin-tip" id="hoshin-tip-rfi" role="tooltip" hidden>' in link
    # definitions are text, never markup
    assert (
        "情報提供依頼のことです。&lt;script&gt;alert(1)&lt;/script&gt; &amp; {term}`x` \\n "
        "**太字** [リンク](http://example.org)</span>" in link
    )
    assert "<script>alert" not in (Path(app.outdir) / "chapter-a.html").read_text(encoding="utf-8")


def test_tooltips_are_made_for_html_only(make_app, project: Path) -> None:
    # the tooltip node has an HTML visitor only: a text build keeps the plain term link
    app, _ = _build(make_app, project, builder="text")
    assert app.warning.getvalue() == ""
    text = (Path(app.outdir) / "chapter-a.txt").read_text(encoding="utf-8")
    assert "RFI" in text and "hoshin-tip" not in text


def test_nfkc_spellings_link_and_latin_words_need_boundaries(make_app, project: Path) -> None:
    app, _ = _build(make_app, project)
    body = _body(Path(app.outdir) / "chapter-b.html")
    assert _linked(body) == ["ＩＣＴ", "ｸﾗｳﾄﾞ", "オープンデータ"]
    assert "SRFIや RFIX は別の語です" in body


def test_explicit_term_roles_resolve_to_the_entry(make_app, project: Path) -> None:
    app, _ = _build(make_app, project)
    body = _body(Path(app.outdir) / "chapter-a.html")
    assert re.search(r'<a aria-describedby="hoshin-tip-interface" class="hoshin-term reference '
                     r'internal" href="glossary.html#term-interface">インタフェース</a>', body)  # fmt: skip


def test_glossary_page(make_app, project: Path, file_regression) -> None:
    app, _ = _build(make_app, project)
    body = _body(Path(app.outdir) / "glossary.html")
    assert re.findall(r'<dt id="(term-[a-z0-9-]+)"', body) == [
        "term-rfi", "term-ict", "term-ict-literacy", "term-interface", "term-open-data",
        "term-kikan-system", "term-cloud", "term-kohyo"]  # fmt: skip
    assert re.findall(r'<section class="hoshin-gyo" id="(gyo-[a-z]+)">', body) == [
        "gyo-a",
        "gyo-ka",
    ]
    assert '<a class="reference internal" href="#gyo-ka">か行</a>' in body
    assert '<span class="hoshin-gyo-empty">さ行</span>' in body
    assert "hoshin-term-wrap" not in body  # the glossary itself has no tooltips
    # how the term links behave is the web medium's sentence (not in the source, see latex test)
    assert '<p class="hoshin-term-help">本文では、各ページで最初に出てくる箇所が' in body
    file_regression.check(body, extension=".html", encoding="utf-8")


def test_back_links_point_at_the_first_use_on_each_page(make_app, project: Path) -> None:
    """The 用語集 says how many pages use a term (one line, whatever the size of the site) and
    links to the term's own page listing them, each link landing on the first use."""
    app, _ = _build(make_app, project)
    out = Path(app.outdir)
    body = _body(out / "glossary.html")
    cloud = body[body.index('id="term-cloud"') : body.index('id="term-kohyo"')]
    assert re.findall(r'<p class="hoshin-backlinks">この用語が出てくる箇所：(.*?)</p>', cloud) == [
        '<a class="reference internal" href="glossary-uses/cloud.html">2 ページ</a>'
    ]
    kohyo = body[body.index('id="term-kohyo"') :]
    assert "この用語が出てくる箇所：本文にはありません" in kohyo
    assert not (out / "glossary-uses" / "kohyo.html").exists()
    uses = _body(out / "glossary-uses" / "cloud.html")
    assert "<h1>「クラウド」が出てくる箇所</h1>" in uses
    assert '<a href="../glossary.html#term-cloud">用語集の「クラウド」に戻る</a>' in uses
    assert re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', uses) == [
        ("../chapter-a.html#hoshin-use-cloud", "RFI と ICT の章"),
        ("../chapter-b.html#hoshin-use-cloud", "オープンデータの章"),
    ]


def test_parallel_build_records_the_same_uses(make_app, project: Path, file_regression) -> None:
    parallel, _ = _build(make_app, project, parallel=2)
    assert parallel.warning.getvalue() == ""
    body = _body(Path(parallel.outdir) / "glossary.html")
    file_regression.check(body, extension=".html", encoding="utf-8", basename="test_glossary_page")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_editing_a_term_rereads_only_the_pages_that_use_it(make_app, project: Path) -> None:
    _build(make_app, project)
    glossary = project / "glossary"

    # a definition used only by chapter-b (the file also holds terms chapter-a uses)
    _edit(glossary / "a.yaml", "誰もが使える公開データのことです。", "誰でも使える公開データです。")
    app, read = _build(make_app, project)
    assert read == ["chapter-b", "glossary"]
    assert "誰でも使える公開データです。" in (Path(app.outdir) / "chapter-b.html").read_text()

    # nothing changed: nothing is read
    assert _build(make_app, project)[1] == []

    # the allowlist changes no page
    _edit(glossary / "allowlist.yaml", "テスト用の語", "テストの語")
    assert _build(make_app, project)[1] == []

    # a new term is linked where its spelling occurs (plain.md), and listed
    with (glossary / "ka.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "- {term: 言葉, reading: ことば, id: kotoba, definition: 語のことです。, "
            "kind: 専門用語, treatment: そのまま, source: テスト}\n"
        )
    app, read = _build(make_app, project)
    assert read == ["glossary", "plain"]
    assert "term-kotoba" in (Path(app.outdir) / "plain.html").read_text()

    # removing a term re-reads the pages that linked it
    _edit(glossary / "ka.yaml", "- term: 個票", "- term: 個票の削除")
    assert _build(make_app, project)[1] == ["glossary"]  # 個票 was used nowhere
    text = (glossary / "ka.yaml").read_text(encoding="utf-8")
    start = text.index("- term: クラウド")
    end = text.index("- term: 個票の削除")
    (glossary / "ka.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    app, read = _build(make_app, project)
    assert read == ["chapter-a", "chapter-b", "glossary"]
    assert "term-cloud" not in (Path(app.outdir) / "chapter-a.html").read_text()

    # touching a file without changing it re-reads only the glossary page (its dependency)
    os.utime(glossary / "a.yaml")
    assert _build(make_app, project)[1] == ["glossary"]


def test_unexplained_katakana_word_warns_at_its_line(make_app, project: Path) -> None:
    _edit(project / "chapter-b.md", "市はオープンデータを推進します。",
          "市はオープンデータを推進します。\n\n開発にはアジャイルな手法を使います。")  # fmt: skip
    app, _ = _build(make_app, project)
    warnings = app.warning.getvalue()
    assert re.search(r"chapter-b\.md:7: WARNING: unexplained term 'アジャイル' \(column 5\): "
                     r".*\[hoshin\.unexplained_term\]", warnings), warnings  # fmt: skip
    assert warnings.count("WARNING") == 1


def test_unexplained_term_warnings_can_be_silenced(make_app, project: Path) -> None:
    _edit(project / "chapter-b.md", "市は", "アジャイルな市は")
    app, _ = _build(make_app, project,
                    confoverrides={"suppress_warnings": ["hoshin.unexplained_term"]})  # fmt: skip
    assert app.warning.getvalue() == ""


def test_bad_glossary_entries_warn_with_their_location_and_the_rest_still_works(
    make_app, project: Path
) -> None:
    _edit(project / "glossary" / "ka.yaml", "  id: kohyo", "  id: cloud")
    app, _ = _build(make_app, project)
    warnings = app.warning.getvalue()
    assert re.search(r"glossary/ka\.yaml:18: WARNING: duplicate id 'cloud' \(first used at "
                     r".*ka\.yaml:9:3\) \[hoshin\.term\]", warnings), warnings  # fmt: skip
    assert "term-cloud" in (Path(app.outdir) / "chapter-a.html").read_text()


def test_latex_terms_are_cross_references_to_the_glossary(make_app, project: Path) -> None:
    app, _ = _build(make_app, project, "latex")
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert r"\hyperref[\detokenize{glossary:term-rfi}]" in tex
    assert r"\label{\detokenize{glossary:term-rfi}}" in tex
    assert r"\hyperref[\detokenize{chapter-a:hoshin-use-rfi}]" in tex  # back-link
    assert "hoshin-tip" not in tex and "aria-describedby" not in tex
    assert "マウス" not in tex and "画面を軽く押す" not in tex  # web-only help stays on the web
