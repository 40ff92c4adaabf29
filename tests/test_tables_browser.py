"""改訂箇所, 改版履歴 and 新旧対照表 tables in a real browser at 320, 375 and 1280 px.

No column of these tables is narrower than four characters (the complaint was nine columns
squeezed to one character a line), and no page scrolls sideways outside a scroll container.
One ``hoshin build`` of a copy of the project serves the module.
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

_NOT_COPIED = shutil.ignore_patterns(".venv", "node_modules", "_build", ".git", "__pycache__")
WIDTHS = (320, 375, 1280)
PAGES = ("revisions.html", "shinkyu/_63-_83.html", "shinkyu/_62-_63.html")

#: Every visible cell of the tables narrower than four characters of its own font, and the
#: page's sideways overflow (a table may scroll only inside its own scroll container).
PROBE = """() => {
  const narrow = [];
  const tables = document.querySelectorAll('table.hoshin-revision-table, table.hoshin-shinkyu');
  for (const table of tables) {
    for (const cell of table.querySelectorAll('th, td')) {
      const head = cell.closest('thead');
      if (head && getComputedStyle(head).position === 'absolute') continue;  // visually hidden
      const style = getComputedStyle(cell);
      if (style.display === 'none') continue;
      const width = cell.getBoundingClientRect().width;
      if (width < 4 * parseFloat(style.fontSize)) {
        narrow.push(`${table.className.split(' ').find(c => c.startsWith('hoshin-revision-')
          || c.startsWith('hoshin-shinkyu')) } column ${cell.cellIndex + 1}: `
          + `${Math.round(width)}px «${cell.textContent.trim().slice(0, 10)}»`);
      }
    }
  }
  return {tables: tables.length, narrow,
          overflow: document.scrollingElement.scrollWidth - window.innerWidth};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("tables") / "project"
    shutil.copytree(REPO, project, ignore=_NOT_COPIED)
    (project / "node_modules").symlink_to(REPO / "node_modules")
    diagrams = REPO / "_build" / ".cache" / "mermaid"
    if diagrams.is_dir():
        shutil.copytree(diagrams, project / "_build" / ".cache" / "mermaid")
    proc = subprocess.run([str(VENV_BIN / "hoshin"), "-C", str(project), "build"],
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    return project / "_build" / "html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_column_under_four_characters_and_no_sideways_scroll(
    site: Path, browser: Any, width: int
) -> None:
    with serve(site) as base:
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="ja-JP")
        page = context.new_page()
        try:
            for path in PAGES:
                page.goto(base + path, wait_until="load")
                found = page.evaluate(PROBE)
                assert found["tables"] >= 1, path
                assert not found["narrow"], f"{path} at {width}px: {found['narrow'][:5]}"
                assert found["overflow"] <= 0, f"{path} scrolls sideways at {width}px"
        finally:
            context.close()


def test_phone_changes_are_one_labelled_block_per_record(site: Path, browser: Any) -> None:
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 375, "height": 800}, locale="ja-JP")
        page = context.new_page()
        try:
            page.goto(base + "revisions.html", wait_until="load")
            labels = page.evaluate("""() => [...document.querySelectorAll(
                'table.hoshin-revision-changes tbody tr:first-child td')].map(
                td => getComputedStyle(td, '::before').content)""")
            assert labels[:1] == ['"No."'] and '"改版前"' in labels and '"改版理由"' in labels
            height = page.evaluate("document.scrollingElement.scrollHeight")
            assert height < 15000  # was 23,000 px with nine squeezed columns
            page.goto(base + "shinkyu/_63-_83.html", wait_until="load")
            old, new = page.evaluate("""() => [...document.querySelectorAll(
                'table.hoshin-shinkyu tbody tr:first-child td')].slice(0, 2).map(
                td => td.getBoundingClientRect().toJSON())""")
            assert new["top"] >= old["bottom"] - 1  # 改版後 below 改版前, not beside it
        finally:
            context.close()
