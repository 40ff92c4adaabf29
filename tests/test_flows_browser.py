"""Diagrams in a real browser: the SVG is an image named by its caption, the text opens."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hoshin.diagrams import render as mermaid_render

from .conftest import REPO
from .flow_support import FakeMmdc

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium not installed"),
]


def test_diagram_is_a_named_image_and_its_text_opens(make_app, tmp_path, monkeypatch) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    monkeypatch.setattr(mermaid_render, "_run", FakeMmdc())
    src = tmp_path / "src"
    shutil.copytree(REPO / "tests" / "roots" / "test-flows", src)
    app = make_app("html", srcdir=src, confoverrides={
        "hoshin_flow_mmdc": str(REPO / "node_modules" / ".bin" / "mmdc"),
        "hoshin_flow_cache_dir": str(tmp_path / "cache")})  # fmt: skip
    app.build()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto((Path(app.outdir) / "sub" / "page.html").as_uri())
            image = page.get_by_role("img", name="簡単なフロー")
            assert image.count() == 1
            assert image.get_attribute("aria-describedby") == "flow-0-text"
            item = page.get_by_text("【分岐】諾否を回答")
            assert not item.is_visible()
            page.get_by_text("図の内容（テキスト）").click()
            assert item.is_visible()
            assert page.locator("#flow-0-text").get_by_role("listitem").count() == 4
        finally:
            browser.close()
