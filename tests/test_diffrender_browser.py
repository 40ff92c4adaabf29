"""The standalone 新旧対照表 page of ``render_html`` passes axe-core (WCAG 2.1 A/AA) in chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from hoshin.core.mystdoc import read_document
from hoshin.revisions.compare import Comparison, JoinFinding
from hoshin.revisions.diff import diff_documents
from hoshin.revisions.render import render_html

from .browser_support import CHROMIUM, CHROMIUM_ARGS, describe_violations, run_axe, serve
from .conftest import REPO

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"


def test_shinkyu_page_is_accessible(tmp_path: Path) -> None:
    old = read_document(REPO / "revisions" / "_63" / "source")
    new = read_document(REPO / "source")
    cmp = Comparison(
        "_63", "current", diff_documents(old, new), reasons={0: ["庁内意見照会を受け"]},
        unexplained=[JoinFinding(path="source/x.md", line=3, section="", message="記録のない変更")],
    )  # fmt: skip
    (tmp_path / "shinkyu.html").write_text(render_html(cmp), encoding="utf-8")
    with serve(tmp_path) as url, playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + "shinkyu.html")
            assert page.locator("table.hoshin-shinkyu ins").count() > 0
            violations = run_axe(page, AXE_JS)
        finally:
            browser.close()
    assert not violations, describe_violations(violations)
