"""Glossary tooltips in a real browser: hover, tap, Escape, screen-reader description.

A small project (tests/roots/test-glossary, furo theme) is built once and served on 127.0.0.1;
the whole web edition is covered by test_browser.py (focus, Escape, axe, no-JS links).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser_support import CHROMIUM, CHROMIUM_ARGS, serve
from .conftest import REPO, VENV_BIN

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    src = tmp_path_factory.mktemp("glossary-site") / "src"
    shutil.copytree(REPO / "tests" / "roots" / "test-glossary", src)
    out = src.parent / "html"
    proc = subprocess.run(
        [str(VENV_BIN / "sphinx-build"), "-q", "-W", "-D", "html_theme=furo", str(src), str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    with serve(out) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser: Any, base_url: str, **options: Any) -> Any:
    context = browser.new_context(locale="ja-JP", **options)
    page = context.new_page()
    page.goto(base_url + "chapter-a.html", wait_until="load")
    return page


def test_hover_opens_the_tooltip_which_stays_while_hovered_and_escape_closes_it(
    browser: Any, base_url: str
) -> None:
    page = _page(browser, base_url, viewport={"width": 1280, "height": 800})
    term = page.locator("a.hoshin-term").first
    tip = page.locator("#" + term.get_attribute("aria-describedby"))
    assert not tip.is_visible()
    term.hover()
    assert tip.is_visible()
    assert "情報提供依頼のことです。" in tip.inner_text()
    box = tip.bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] / 2)  # onto the tooltip itself
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    page.mouse.move(0, 0)
    term.hover()
    assert tip.is_visible()
    page.context.close()


def test_the_definition_is_the_links_accessible_description(browser: Any, base_url: str) -> None:
    page = _page(browser, base_url)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Accessibility.enable")
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    links = {
        n["name"]["value"]: n.get("description", {}).get("value", "")
        for n in nodes
        if n.get("role", {}).get("value") == "link" and "name" in n
    }
    assert links["ICT"] == "情報通信技術のことです。"
    assert links["RFI"].startswith("情報提供依頼のことです。<script>")
    page.context.close()


def test_first_tap_opens_a_sheet_and_a_second_tap_follows_the_link(
    browser: Any, base_url: str
) -> None:
    """Touch: the sheet names the term, gives its definition, a close button and a link to the
    用語集 entry; the inline tooltip stays closed meanwhile (one definition on screen)."""
    page = _page(browser, base_url, viewport={"width": 375, "height": 667}, is_mobile=True,
                 has_touch=True, device_scale_factor=2)  # fmt: skip
    term = page.locator("a.hoshin-term", has_text="クラウド")
    tip = page.locator("#" + term.get_attribute("aria-describedby"))
    sheet = page.locator(".hoshin-sheet")
    term.tap()
    assert sheet.is_visible() and not tip.is_visible()
    assert page.url.endswith("chapter-a.html")
    assert sheet.locator(".hoshin-sheet-term").inner_text() == "クラウド"
    assert sheet.locator(".hoshin-sheet-text").inner_text() == tip.text_content()
    assert sheet.locator("a").get_attribute("href").endswith("glossary.html#term-cloud")
    box = sheet.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # inside the screen
    close = sheet.locator("button", has_text="閉じる")
    assert close.bounding_box()["height"] >= 44
    close.tap()
    assert not sheet.is_visible() and not tip.is_visible()
    term.tap()
    page.locator("p").first.tap()  # tapping elsewhere closes it
    assert not sheet.is_visible() and not tip.is_visible()
    term.tap()
    term.tap()
    page.wait_for_url("**/glossary.html#term-cloud")
    page.context.close()


def test_the_pointer_keeps_the_tooltip_on_its_way_from_term_to_definition(
    browser: Any, base_url: str
) -> None:
    """WCAG 1.4.13 (hoverable): no gap between the term and its tooltip."""
    page = _page(browser, base_url, viewport={"width": 1280, "height": 800})
    term = page.locator("a.hoshin-term").first
    tip = page.locator("#" + term.get_attribute("aria-describedby"))
    term.hover()
    box = term.bounding_box()
    assert tip.bounding_box()["y"] - (box["y"] + box["height"]) <= 1
    for dy in range(0, 12, 2):
        page.mouse.move(box["x"] + 3, box["y"] + box["height"] + dy)
        assert tip.is_visible(), dy
    page.context.close()
