"""Both editions in a real browser: titles name the version, banners and the 「審議用」 bar show
and fit on a phone and a desktop. Screenshots of a chapter page and a 新旧対照表 page of each
edition at 375 and 1280 px are kept in ``_build/screenshots/editions/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser_support import CHROMIUM, CHROMIUM_ARGS, serve
from .conftest import REPO
from .test_editions import make_project

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

SCREENSHOTS = REPO / "_build" / "screenshots" / "editions"
WIDTHS = (375, 1280)
#: Content wider than the viewport, outside a scroll container (the whole page scrolls sideways).
PAGE_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("editions-browser") / "p")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser: Any, base: str, path: str, width: int) -> Any:
    context = browser.new_context(locale="ja-JP", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base + path, wait_until="load")
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_titles_banners_and_review_bar(project: Path, browser: Any, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for edition, site in (("public", "_build/html"), ("review", "_build/review/html")):
        with serve(project / site) as base:
            titles = {}
            for name, path in (("chapter", "versions/v1/a.html"), ("shinkyu", "shinkyu/v1-v2.html"),
                               ("draft", "a.html")):  # fmt: skip
                page = _open(browser, base, path, width)
                titles[name] = page.title()
                bar = page.locator(".hoshin-review-mark")
                if edition == "review":
                    assert bar.is_visible() and bar.inner_text().startswith("審議用"), path
                    assert bar.bounding_box()["y"] < 5, path  # the very top of the page
                else:
                    assert bar.count() == 0, path
                assert page.evaluate(PAGE_OVERFLOW) <= 1, (edition, path, width)
                if name == "chapter":
                    banner = page.locator(".hoshin-old-banner")
                    assert banner.is_visible()
                    assert "過去の版「素案（令和3年3月）」" in banner.inner_text()
                    banner.locator("a", has_text="作業中の原稿").click()
                    page.wait_for_load_state("load")
                    assert page.url.endswith("/a.html") and "/versions/" not in page.url
                    page.go_back()
                if name != "draft":
                    page.screenshot(path=str(SCREENSHOTS / f"{edition}-{name}-{width}.png"))
                page.context.close()
            assert titles["chapter"].endswith("｜素案（令和3年3月）")
            assert titles["draft"].endswith("｜作業中の原稿")
            assert titles["shinkyu"].startswith("新旧対照表：素案（令和3年3月） → ")
            assert ("【審議用】" in titles["draft"]) == (edition == "review")
