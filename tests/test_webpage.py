"""Page furniture and per-page assets of the web edition (no browser: built HTML and pure parts)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docutils import nodes

from hoshin.web.assets import design_classes
from hoshin.web.page import localise_furniture, page_description, sharing_tags


def test_furniture_labels_become_japanese() -> None:
    body = (
        '<input aria-label="Toggle site navigation sidebar">'
        '<input aria-label="Toggle navigation of 1.策定の目的等">'
        '<p class="caption" role="heading"><span class="caption-text">目次</span></p>'
    )
    out = localise_furniture(body)
    assert 'aria-label="サイト内ナビゲーションの表示切替"' in out
    assert 'aria-label="「1.策定の目的等」の下位項目の表示切替"' in out
    assert 'role="heading" aria-level="2"' in out


def _doc(*paragraphs: str, toctree_text: str = "") -> nodes.document:
    from docutils.frontend import get_default_settings
    from docutils.utils import new_document

    document = new_document("test", get_default_settings())
    if toctree_text:
        wrapper = nodes.compound(classes=["toctree-wrapper"])
        wrapper += nodes.paragraph(text=toctree_text)
        document += wrapper
    for text in paragraphs:
        document += nodes.paragraph(text=text)
    return document


def test_description_is_the_first_real_paragraph_shortened() -> None:
    long = "行政が保有するデータは、市民を含む市全体の共有財産です。" * 10
    doc = _doc(
        "短い。", long, toctree_text="目次の項目がとても長くても説明には使わない、目次の項目です。"
    )
    description = page_description(doc, "既定")
    assert description.startswith("行政が保有するデータは")
    assert len(description) == 110 and description.endswith("…")
    assert page_description(_doc("短い。"), "既定") == "既定"
    assert page_description(None, "既定") == "既定"


def test_sharing_tags_escape_their_values() -> None:
    tags = sharing_tags(title='"引用"と<タグ>', site_name="方針", description="説明", url=None)
    assert 'content="&quot;引用&quot;と&lt;タグ&gt;"' in tags
    assert "og:url" not in tags
    assert 'rel="icon" href="data:,"' in tags


def test_design_classes_come_from_class_attributes_only() -> None:
    body = '<div class="sd-card sd-mb-3"><p>sd-tab は本文の文字</p></div>'
    assert design_classes(body) == {"sd-card", "sd-mb-3"}


@pytest.fixture(scope="module")
def webpage_site(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``test-webpage`` root built once with furo (the theme the editions use)."""
    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path_factory.mktemp("webpage") / "src"
    shutil.copytree(rootdir / "test-webpage", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
        assert not app.warning.getvalue().strip(), app.warning.getvalue()
    finally:
        app.cleanup()
    return Path(app.outdir)


def _read(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def test_pages_carry_japanese_furniture_and_sharing_metadata(webpage_site: Path) -> None:
    page = _read(webpage_site, "cards.html")
    assert '<html class="no-js" lang="ja"' in page
    assert ">本文へ移動</a>" in page
    assert "Skip to content" not in page
    assert 'role="heading" aria-level="2"' in page
    assert '<meta name="description" content="市では、行政が保有するデータを' in page
    assert '<meta property="og:title" content="基本方針のページ">' in page
    assert 'property="og:locale" content="ja_JP"' in page


def test_pages_load_only_the_assets_they_use(webpage_site: Path) -> None:
    cards = _read(webpage_site, "cards.html")
    assert "hoshin-cards.css" in cards
    assert "sphinx-design.min.css" not in cards and "pygments.css" not in cards
    assert "design-tabs.js" not in cards
    dropdown = _read(webpage_site, "dropdown.html")
    assert "sphinx-design.min.css" in dropdown and "hoshin-cards.css" not in dropdown
    code = _read(webpage_site, "code.html")
    assert "pygments.css" in code and "sphinx-design.min.css" not in code
    search = _read(webpage_site, "search.html")
    assert "hoshin-search.js" in search and "pygments.css" not in search
    assert "hoshin-search.js" not in cards


def test_summary_block_is_a_framed_box_with_its_heading(webpage_site: Path) -> None:
    home = _read(webpage_site, "index.html")
    assert '<div class="hoshin-summary docutils container">' in home
    assert '<p class="hoshin-summary-title rubric">この方針のあらまし</p>' in home
    assert "<p>市の手続を、窓口に来なくても済むようにします。</p>" in home
    assert '<p class="hoshin-summary-title rubric">あらまし</p>' in home  # the default heading


def test_stylesheets_ship_without_comments(webpage_site: Path) -> None:
    from hoshin.web.site import STATIC_DIR

    shipped = _read(webpage_site, "_static/hoshin.css")
    source = (STATIC_DIR / "hoshin.css").read_text(encoding="utf-8")
    assert "/*" not in shipped and ".hoshin-summary" in shipped
    assert len(shipped) < 0.85 * len(source)
