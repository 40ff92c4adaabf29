"""The residents' web edition in a real browser: accessible, private, searchable, usable on phones.

One ``hoshin build`` of a copy of the project and one chromium serve the whole module. Screenshots
of every page kind (desktop and phone) are kept in ``_build/screenshots/`` as test artifacts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from .browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    FOCUS_PROBE,
    OVERFLOW_PROBE,
    PHONE,
    RequestLog,
    SitePages,
    chapter_candidates,
    describe_violations,
    discover,
    measure,
    run_axe,
    serve,
)
from .conftest import REPO, VENV_BIN

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "_build" / "screenshots"
_NOT_COPIED = shutil.ignore_patterns(".venv", "node_modules", "_build", ".git", "__pycache__")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> SitePages:
    """The web edition as ``hoshin build`` makes it, built once from a copy of the project."""
    project = tmp_path_factory.mktemp("web-edition") / "project"
    shutil.copytree(REPO, project, ignore=_NOT_COPIED)
    (project / "node_modules").symlink_to(REPO / "node_modules")  # mermaid-cli for diagrams
    diagrams = REPO / "_build" / ".cache" / "mermaid"  # keyed on every input: safe to reuse
    if diagrams.is_dir():
        shutil.copytree(diagrams, project / "_build" / ".cache" / "mermaid")
    # As `make site` builds it, PDF links included; the PDFs themselves are not typeset here.
    conf = project / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nhoshin_pdf_links = True\n", "utf-8")
    proc = subprocess.run(
        [str(VENV_BIN / "hoshin"), "-C", str(project), "build"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return discover(project / "_build" / "html")


@pytest.fixture(scope="session")
def base_url(site: SitePages) -> Iterator[str]:
    with serve(site.root) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One chromium for this module. Module scope: Playwright's sync API runs an event loop in
    this thread, so another module's ``sync_playwright()`` fails while this one is open."""
    with playwright_sync.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


class Tab:
    """A browser context + page that blocks and records every request leaving 127.0.0.1."""

    def __init__(self, browser: Any, base_url: str, **context_options: Any) -> None:
        self.base_url = base_url
        self.requests = RequestLog()
        self.context = browser.new_context(locale="ja-JP", **context_options)
        self.context.route("**/*", self.requests.route)
        self.page = self.context.new_page()

    def open(self, path: str) -> Any:
        self.page.goto(self.base_url + path, wait_until="load")
        return self.page

    def close(self) -> None:
        self.context.close()
        assert not self.requests.foreign, f"requests left 127.0.0.1: {self.requests.foreign}"


@pytest.fixture
def tab(browser: Any, base_url: str) -> Iterator[Tab]:
    opened = Tab(browser, base_url, viewport=DESKTOP)
    yield opened
    opened.close()


@pytest.fixture
def phone(browser: Any, base_url: str) -> Iterator[Tab]:
    opened = Tab(
        browser, base_url, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield opened
    opened.close()


# --- accessibility -------------------------------------------------------------------------

PAGE_KINDS = ("home", "chapter", "glossary", "shinkyu", "older_version")
#: Every kind of page residents meet, for the 320 / 375 / 1280 px, light / dark acceptance.
ALL_KINDS = (*PAGE_KINDS, "diagram", "uses", "search")
WIDTHS = (320, 375, 1280)


def _path_of(site: SitePages, kind: str) -> str:
    if kind == "diagram":
        path = next(
            p for p in site.content if "hoshin-flow-svg" in (site.root / p).read_text("utf-8")
        )
    elif kind == "uses":
        path = "glossary-uses/ict.html"
    elif kind == "search":
        path = "search.html?q=" + quote("情報セキュリティ")
    else:
        path = site.kinds().get(kind)
    assert path is not None, f"the embedded edition has a {kind} page"
    return path


#: Visible things a pointer can use that the keyboard cannot reach: neither they, an ancestor,
#: nor (for a label) their control is focusable.
UNREACHABLE_PROBE = """() => {
  const CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]";
  const focusable = (el) => el && el.tabIndex >= 0 && !el.disabled
    && getComputedStyle(el).display !== "none" && getComputedStyle(el).visibility !== "hidden";
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === "hidden") continue;
    if (box.right <= 0 || box.left >= innerWidth) continue;  // a closed drawer, off screen
    if (style.cursor !== "pointer" && !el.matches(CONTROLS)) continue;
    const own = el.closest(CONTROLS);
    const control = el.closest("label")?.control;
    if (!focusable(own) && !focusable(control)) {
      out.push(el.tagName.toLowerCase() + "." + [...el.classList].join(".") + " "
               + (el.textContent || "").trim().slice(0, 20));
    }
  }
  return [...new Set(out)].slice(0, 10);
}"""


def _open(tab: Tab, kind: str, path: str) -> Any:
    page = tab.open(path)
    if kind == "search":
        page.wait_for_function(
            "document.querySelector('#search-results .search-summary')?.textContent.length > 0"
        )
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_page_kind_at_320_375_1280_px(
    site: SitePages, browser: Any, base_url: str, screenshots: Path, kind: str, scheme: str
) -> None:
    """Acceptance of issue 21 at each width: axe finds no WCAG 2.1 A/AA violation, the page
    does not scroll sideways (wide things scroll in their own box), everything a pointer can
    use is reachable by keyboard, and each Tab stop on screen shows a focus ring."""
    path = _path_of(site, kind)
    problems: dict[str, Any] = {}
    for width in WIDTHS:
        mobile = {"is_mobile": True, "has_touch": True} if width < 1000 else {}
        opened = Tab(browser, base_url, viewport={"width": width, "height": 720},
                     color_scheme=scheme, **mobile)  # fmt: skip
        try:
            page = _open(opened, kind, path)
            if width in (375, 1280):
                device = "phone" if width == 375 else "desktop"
                page.screenshot(path=str(screenshots / f"{kind}-{device}-{scheme}.png"))
            where = f"{width}px"
            violations = run_axe(page, AXE_JS)
            if violations:
                problems[f"{where} axe"] = describe_violations(violations)
            overflow = page.evaluate(OVERFLOW_PROBE)
            if overflow["scrollWidth"] > overflow["clientWidth"] or overflow["offenders"]:
                problems[f"{where} sideways"] = overflow
            unreachable = page.evaluate(UNREACHABLE_PROBE)
            if unreachable:
                problems[f"{where} unreachable"] = unreachable
            unfocused = []
            for _ in range(25):
                page.keyboard.press("Tab")
                focused = page.evaluate(FOCUS_PROBE)
                if focused is None:
                    break
                if focused["onScreen"] and not focused["visibleIndicator"]:
                    unfocused.append(focused)
            if unfocused:
                problems[f"{where} focus"] = unfocused
        finally:
            opened.close()
    assert not problems, f"{path} ({scheme}): {problems}"


def test_pages_declare_japanese_title_and_description(site: SitePages, tab: Tab) -> None:
    page = tab.open(site.chapter)
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert page.title().startswith("3-1-2.基本方針② オープンデータの推進")
    description = page.get_attribute('meta[name="description"]', "content") or ""
    assert "行政が保有するデータ" in description
    assert page.get_attribute('meta[property="og:title"]', "content")
    assert page.get_attribute('meta[property="og:locale"]', "content") == "ja_JP"


# --- keyboard --------------------------------------------------------------------------------


def test_skip_link_is_first_and_moves_focus_to_the_content(site: SitePages, tab: Tab) -> None:
    page = tab.open(site.chapter)
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUS_PROBE)
    assert focused is not None and focused["onScreen"], focused
    assert "skip-to-content" in focused["cls"]
    assert focused["text"] == "本文へ移動"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#furo-main-content"


def _tab_until(page: Any, selector: str, limit: int = 150) -> bool:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s)", selector):
            return True
    return False


def test_glossary_tooltips_open_on_focus_and_close_on_escape(site: SitePages, tab: Tab) -> None:
    page_path = next(
        (p for p in site.content if "hoshin-term" in (site.root / p).read_text(encoding="utf-8")),
        None,
    )
    if page_path is None:
        pytest.skip("this build has no glossary term links yet")
    page = tab.open(page_path)
    assert _tab_until(page, "a.hoshin-term"), "no term link reachable with Tab"
    tip_of = "(a) => document.getElementById(a.getAttribute('aria-describedby'))"
    terms = page.locator("a.hoshin-term")
    failures = []
    for i in range(terms.count()):
        term = terms.nth(i)
        if i:
            term.focus()
        tip = page.locator(f"#{term.get_attribute('aria-describedby')}")
        opened = tip.is_visible()
        page.keyboard.press("Escape")
        closed = not tip.is_visible()
        if not (opened and closed):
            failures.append((term.inner_text(), opened, closed))
    assert page.evaluate(tip_of, terms.first.element_handle()) is not None
    assert not failures, failures


def test_version_switcher_works_by_keyboard(site: SitePages, tab: Tab) -> None:
    page = tab.open(site.chapter)
    if page.locator(".hoshin-switcher").count() == 0:
        pytest.skip("this build has no version switcher yet")
    assert _tab_until(page, ".hoshin-switcher > summary")
    focused = page.evaluate(FOCUS_PROBE)
    assert focused["visibleIndicator"], focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('.hoshin-switcher').open")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.hoshin-switcher') !== null")
    links = page.eval_on_selector_all(
        ".hoshin-switcher a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(links) >= 2
    older = next((h for h in links if "versions/" in h), None)
    if older is None or not (site.root / site.chapter).parent.joinpath(older).resolve().exists():
        return  # the older versions are not built into this site yet
    assert _tab_until(page, f'.hoshin-switcher a[href="{older}"]', limit=10)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "versions/" in page.url


def test_every_page_names_its_version_and_links_its_pdf(site: SitePages, tab: Tab) -> None:
    for kind in ("chapter", "older_version"):
        path = site.kinds().get(kind)
        if path is None:
            continue
        page = tab.open(path)
        if page.locator(".hoshin-versionbar").count() == 0:
            pytest.skip("this build has no version furniture yet")
        assert "版" in page.inner_text(".hoshin-versionbar"), path
        pdf = page.locator(".hoshin-pdf-links a[href$='.pdf']")
        assert pdf.count() >= 1, f"{path} links no PDF"


# --- search ------------------------------------------------------------------------------------

SEARCHES = [
    ("オープンデータ", "3/3-1-2.html"),
    ("匿名加工情報", "meeting4/q-anonymized.html"),
    ("理事", "4/4-1.html"),
    ("推進体制", "4/4-1.html"),
    ("ＩＣＴリテラシー", "3/3-2-4.html"),
    ("税", "3/3-2-3.html"),  # a lone character: 住民記録、税、福祉
]


def _search(tab: Tab, query: str) -> list[str]:
    page = tab.open(f"search.html?q={quote(query)}")
    page.wait_for_function(
        "document.querySelector('#search-results .search-summary')?.textContent.length > 0",
        timeout=15_000,
    )
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
    )
    return [re.sub(r"[?#].*$", "", href) for href in hrefs]


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_japanese_search_finds_compounds(tab: Tab, query: str, expected: str) -> None:
    assert expected in _search(tab, query)


def test_every_word_of_a_mixed_query_must_be_on_the_page(tab: Tab) -> None:
    both = set(_search(tab, "ICT理事"))
    assert both and both <= set(_search(tab, "理事")) & set(_search(tab, "ICT"))


def test_search_for_text_that_is_nowhere_finds_nothing(tab: Tab) -> None:
    assert _search(tab, "量子暗号通信網") == []
    assert _search(tab, "2021") == []  # digits alone are not searched (as in Sphinx)


def test_search_finds_glossary_definitions_and_entries(site: SitePages, tab: Tab) -> None:
    if site.glossary is None:
        pytest.skip("this build has no 用語集 yet")
    page = tab.open(site.glossary)
    first = page.locator("dl.glossary > dd").first.locator("p").first.inner_text()
    words = re.findall(r"[\u3040-\u30ff\u3400-\u9fff]{4,}", first)
    term = page.locator("dl.glossary > dt").first.evaluate("dt => dt.firstChild.textContent.trim()")
    assert words, first
    assert site.glossary in _search(tab, words[-1])  # a phrase of a definition
    assert site.glossary in _search(tab, term)  # the entry itself


def test_search_lists_the_print_editions(tab: Tab) -> None:
    _search(tab, "PDF")
    page = tab.page
    links = page.eval_on_selector_all(
        ".hoshin-pdf-results a", "links => links.map(a => [a.textContent, a.getAttribute('href')])"
    )
    assert links and all(href.endswith(".pdf") for _, href in links), links
    _search(tab, "新旧対照表")
    shinkyu = page.eval_on_selector_all(
        ".hoshin-pdf-results a", "links => links.map(a => a.textContent)"
    )
    assert shinkyu and all("新旧対照表" in label for label in shinkyu), shinkyu
    _search(tab, "意見と対応")  # each consultation event's table in print (issue 20)
    opinions = page.eval_on_selector_all(
        ".hoshin-pdf-results a", "links => links.map(a => [a.textContent, a.getAttribute('href')])"
    )
    assert len(opinions) >= 2, opinions
    assert all("意見と対応" in label and "-opinions-" in href for label, href in opinions)
    assert _search(tab, "量子暗号通信網") == []
    assert page.locator(".hoshin-pdf-results").count() == 0


def test_whole_words_and_titles_rank_above_matches_inside_other_words(tab: Tab) -> None:
    """理事 stands alone in 4-1 (理事を副CIOとし) and only inside 文書管理事務 in 3-2-3."""
    found = _search(tab, "理事")
    assert found.index("4/4-1.html") < found.index("3/3-2-3.html"), found


def test_only_pages_with_the_phrase_are_found_and_it_is_highlighted(tab: Tab) -> None:
    found = _search(tab, "情報セキュリティ")
    assert found
    page = tab.page
    for item in page.locator("#search-results ul.search > li").all():
        quoted = item.locator("p.context").inner_text()
        assert "情報セキュリティ" in quoted, quoted
        assert "情報セキュリティ" in item.locator("mark").all_inner_texts()
        weight = item.locator("mark").first.evaluate("m => getComputedStyle(m).fontWeight")
        assert int(weight) >= 600


def test_snippets_quote_the_page_not_its_tooltips(site: SitePages, tab: Tab) -> None:
    _search(tab, "CIO")
    page = tab.page
    quotes = " ".join(page.locator("#search-results p.context").all_inner_texts())
    tips = tab.open("4/4-1.html").eval_on_selector_all(
        ".hoshin-tip", "tips => tips.map(t => t.textContent)"
    )
    assert quotes and tips
    for tip in tips:
        assert tip[:20] not in quotes, tip
    assert "版を切り替える" not in quotes


def test_each_page_is_listed_once_and_shinkyu_pages_are_found(site: SitePages, tab: Tab) -> None:
    found = _search(tab, "用語集")
    assert len(found) == len(set(found)), found
    if site.shinkyu:
        assert any(p.startswith("shinkyu/") for p in _search(tab, "冗長化"))


def test_results_page_has_its_own_search_box_on_a_phone(phone: Tab) -> None:
    page = phone.open("search.html?q=" + quote("量子暗号通信網"))
    page.wait_for_function(
        "document.querySelector('#search-results .search-summary')?.textContent.length > 0"
    )
    box = page.locator("article input[name='q']")
    assert box.is_visible() and box.input_value() == "量子暗号通信網"
    assert (box.bounding_box() or {}).get("height", 0) >= 44
    message = page.inner_text("#search-results")
    assert "見つかりませんでした" in message and "カテゴリー" not in message
    box.fill("オープンデータ")
    with page.expect_navigation():
        box.press("Enter")
    page.wait_for_function("document.querySelectorAll('#search-results ul.search li').length > 0")


def test_search_works_from_file_urls_without_console_errors(site: SitePages, browser: Any) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        url = (site.root / "search.html").as_uri() + "?q=" + quote("オープンデータ")
        page.goto(url, wait_until="load")
        page.wait_for_function(
            "document.querySelector('#search-results .search-summary')?.textContent.length > 0"
        )
        quotes = page.locator("#search-results p.context mark")
        assert quotes.count() > 0
        assert not errors, errors
    finally:
        context.close()


def test_search_page_stays_within_250_kib(base_url: str, browser: Any) -> None:
    weight = measure(browser, base_url, "search", "search.html?q=" + quote("オープンデータ"))
    assert sum(weight.bytes_by_kind.values()) <= 250 * 1024, weight.bytes_by_kind
    assert weight.requests <= 12, weight.requests  # no fetch per result


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_menu_is_reachable_by_keyboard_at_320_px_and_the_closed_drawer_is_skipped(
    site: SitePages, browser: Any, base_url: str, scheme: str
) -> None:
    """400 % zoom (320 px): Tab reaches ☰ with a visible focus ring, Enter opens the menu and
    moves focus into it, and no Tab stop lies in the closed, off-screen sidebar."""
    zoomed = Tab(browser, base_url, viewport={"width": 320, "height": 640}, color_scheme=scheme)
    try:
        page = zoomed.open(site.chapter)
        stops = []
        for _ in range(12):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_PROBE)
            in_drawer = page.evaluate(
                "document.activeElement.closest('.sidebar-drawer, .toc-drawer') !== null"
            )
            stops.append((focused, in_drawer))
            if page.evaluate("document.activeElement.matches('label[for=__navigation]')"):
                break
        assert not any(in_drawer for _, in_drawer in stops), stops
        assert page.evaluate("document.activeElement.matches('label[for=__navigation]')"), stops
        assert stops[-1][0]["visibleIndicator"], stops[-1]
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        assert page.evaluate("document.getElementById('__navigation').checked")
        assert page.evaluate("document.activeElement.closest('.sidebar-drawer') !== null")
        page.keyboard.press("Escape")
        assert not page.evaluate("document.getElementById('__navigation').checked")
    finally:
        zoomed.close()


def test_sidebar_expand_arrows_are_reachable_by_keyboard(site: SitePages, tab: Tab) -> None:
    page = tab.open(site.chapter)
    assert _tab_until(page, ".sidebar-tree .toctree-checkbox", limit=40)
    focused = page.evaluate(FOCUS_PROBE)
    assert focused["visibleIndicator"] or page.evaluate(
        "getComputedStyle(document.activeElement.nextElementSibling).outlineStyle !== 'none'"
    )
    before = page.evaluate("document.activeElement.checked")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") != before


def test_glossary_back_links_land_on_anchors_that_exist(site: SitePages) -> None:
    """Each term's "この用語が出てくる箇所" page lists pages whose anchor exists (改版履歴
    included); the 用語集 itself holds one link per term, whatever the size of the site."""
    assert site.glossary
    glossary = site.root / site.glossary
    lines = re.findall(r'<p class="hoshin-backlinks">(.*?)</p>', glossary.read_text("utf-8"))
    assert lines and all(line.count("<a ") <= 1 for line in lines)
    missing, checked = [], 0
    for uses in re.findall(r'href="([^"#]+)">\d+ ページ</a>', "".join(lines)):
        page = glossary.parent / uses
        for target, anchor in re.findall(
            r'<li><a href="([^"#]+)#([^"]+)">', page.read_text("utf-8")
        ):
            checked += 1
            if f'id="{anchor}"' not in (page.parent / target).read_text("utf-8"):
                missing.append(f"{uses}: {target}#{anchor}")
    assert checked > 50 and not missing, (checked, missing)
    # a term used on one page only links that page's first use directly
    direct = re.findall(r'href="([^"#]+)#([^"]+)">(?!\d+ ページ<)', "".join(lines))
    assert len(direct) > 10
    for target, anchor in direct:
        if f'id="{anchor}"' not in (glossary.parent / target).read_text("utf-8"):
            missing.append(f"用語集: {target}#{anchor}")
    assert not missing, missing


def test_diagrams_scroll_in_a_focusable_frame_with_readable_labels(
    site: SitePages, browser: Any, base_url: str
) -> None:
    path = next(
        (p for p in site.content if "hoshin-flow-svg" in (site.root / p).read_text("utf-8")),
        None,
    )
    assert path is not None, "the embedded edition has diagrams (4-1, 4-2, 4-3)"
    for viewport in (PHONE, DESKTOP):
        opened = Tab(browser, base_url, viewport=viewport, color_scheme="dark")
        try:
            page = opened.open(path)
            frames = page.locator(".hoshin-flow-svg")
            for i in range(frames.count()):
                frame = frames.nth(i)
                assert frame.get_attribute("tabindex") == "0"
                info = frame.evaluate(
                    """f => ({overflow: getComputedStyle(f).overflowX,
                      fits: f.getBoundingClientRect().right <= document.documentElement.clientWidth,
                      filter: getComputedStyle(f.querySelector('svg')).filter,
                      scale: f.querySelector('svg').getBoundingClientRect().width
                             / f.querySelector('svg').viewBox.baseVal.width})"""
                )
                assert info["overflow"] in ("auto", "scroll") and info["fits"], info
                assert info["filter"] != "none", info  # dark mode: not a white block
                assert info["scale"] * 16 >= 11.9, info  # mermaid's 16 px labels
        finally:
            opened.close()


# --- phones, zoom, tables ------------------------------------------------------------------------


def test_no_page_scrolls_sideways_on_a_phone(site: SitePages, phone: Tab) -> None:
    problems = {}
    for path in site.content:
        result = phone.open(path).evaluate(OVERFLOW_PROBE)
        if result["scrollWidth"] > result["clientWidth"] or result["offenders"]:
            problems[path] = result
    assert not problems, problems


def test_touch_targets_are_at_least_44_px_on_a_phone(site: SitePages, phone: Tab) -> None:
    """DADS / WCAG 2.5.5: the header's buttons, the menu's entries and arrows, the search box
    and the version switcher (links inside sentences are exempt, 2.5.8)."""
    page = phone.open(site.chapter)
    page.locator(".mobile-header label[for=__navigation]").tap()
    small = page.evaluate(
        """() => [...document.querySelectorAll(
             ".mobile-header a, .mobile-header label, .mobile-header button, .sidebar-search,"
             + " .sidebar-tree a, .sidebar-tree .toctree-checkbox, .hoshin-switcher > summary")]
           .map((el) => [el.className || el.tagName, (el.textContent || "").trim().slice(0, 12),
                         el.getBoundingClientRect()])
           .filter(([, , box]) => box.width && (box.height < 44 || box.width < 44))
           .map(([name, text, box]) => `${name} ${text} ${box.width}x${box.height}`)"""
    )
    assert not small, small


def test_japanese_typography_follows_dads(phone: Tab) -> None:
    """Noto Sans JP first (system fonts only), body line-height 1.7, strict line breaking, and
    headings broken between phrases: 「役割分担」 is never split (it was 「役割分/担」)."""
    page = phone.open("4/4-2.html")
    style = page.evaluate(
        """() => { const p = getComputedStyle(document.querySelector("article p"));
                   const h = getComputedStyle(document.querySelector("article h1"));
                   return {font: p.fontFamily, lineHeight: parseFloat(p.lineHeight) / parseFloat(p.fontSize),
                           lineBreak: p.lineBreak, heading: h.wordBreak}; }"""
    )
    assert style["font"].startswith('"Noto Sans JP"'), style
    assert 1.65 <= style["lineHeight"] <= 1.8 and style["lineBreak"] == "strict", style
    assert style["heading"] == "auto-phrase", style
    lines = page.evaluate(
        """() => { const text = document.querySelector("article h1").firstChild;
                   const at = text.textContent.indexOf("役割分担"); const range = document.createRange();
                   range.setStart(text, at); range.setEnd(text, at + 4);
                   return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size; }"""
    )
    assert lines == 1


def test_lists_with_their_own_markers_show_no_second_bullet(phone: Tab) -> None:
    """Items that start with the city's own marker (i., ※, ①) show that marker only, hanging:
    a wrapped line starts under the text, not under the marker."""
    page = phone.open("3/3-1-1.html")
    items = page.eval_on_selector_all(
        "ul.hoshin-own-markers > li, li.hoshin-own-marker",
        """items => items.map(li => {
             const p = li.querySelector("p"); const range = document.createRange();
             range.selectNodeContents(p); const rects = [...range.getClientRects()];
             return {style: getComputedStyle(li).listStyleType, text: li.textContent.trim(),
                     first: rects[0].left,
                     rest: rects.filter(r => r.top > rects[0].bottom - 2).map(r => r.left)}; })""",
    )
    assert items
    for item in items:
        assert item["style"] == "none", item
        assert item["rest"] and min(item["rest"]) > item["first"], item  # wrapped on a phone


def test_wide_tables_scroll_in_their_own_box(site: SitePages, phone: Tab) -> None:
    page = phone.open("meeting4/members.html")
    boxes = page.eval_on_selector_all(
        "article table",
        """tables => tables.map(t => {
             const box = t.parentElement;
             return {wrapper: box.className, overflowX: getComputedStyle(box).overflowX,
                     fits: box.getBoundingClientRect().right <= document.documentElement.clientWidth};
           })""",
    )
    assert boxes
    for box in boxes:
        assert box["overflowX"] in ("auto", "scroll") and box["fits"], box


@pytest.mark.parametrize("kind", ["chapter", "shinkyu"])
@pytest.mark.parametrize("width", [640, 320])
def test_text_reflows_at_200_and_400_percent_zoom(
    site: SitePages, browser: Any, base_url: str, width: int, kind: str
) -> None:
    """1280 px at 200 % zoom is a 640 CSS-px viewport; at 400 % it is 320 (WCAG 1.4.4, 1.4.10)."""
    path = _path_of(site, kind)
    zoomed = Tab(browser, base_url, viewport={"width": width, "height": 400})
    try:
        page = zoomed.open(path)
        result = page.evaluate(OVERFLOW_PROBE)
        assert result["scrollWidth"] <= result["clientWidth"] and not result["offenders"], result
        size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)"
        )
        assert size >= 14
        box = page.locator("article h1").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    finally:
        zoomed.close()


# --- weight ------------------------------------------------------------------------------------

BUDGET_BYTES = 200_000


def test_glossary_page_stays_within_200_kib(site: SitePages, browser: Any, base_url: str) -> None:
    """The 用語集 with everything it loads (back-link lists are on pages of their own)."""
    assert site.glossary
    weight = measure(browser, base_url, "glossary", site.glossary)
    assert sum(weight.bytes_by_kind.values()) <= 200 * 1024, weight.bytes_by_kind


def test_older_versions_load_the_sites_own_unchanged_styles_and_scripts(site: SitePages) -> None:
    """One URL per unchanged file for every version: the browser cache is shared."""
    assert site.older_version
    page = site.root / site.older_version
    text = page.read_text("utf-8")
    assets = re.findall(r'<(?:link rel="stylesheet"[^>]*href|script[^>]*src)="([^"?]+)', text)
    files = [(page.parent / a).resolve() for a in assets]
    assert assets and all(f.is_file() for f in files), assets
    shared = [f for f in files if f.is_relative_to((site.root / "_static").resolve())]
    assert len(shared) >= len(files) - 1, assets  # documentation_options.js may differ


def test_chapter_pages_stay_within_200_kb(site: SitePages, browser: Any, base_url: str) -> None:
    """HTML, CSS, JS and fonts a chapter page loads, diagrams excluded (bench/page_weight.py)."""
    paths = {site.chapter, *chapter_candidates(site.root, site.content, 3)}
    weights = [measure(browser, base_url, "chapter", path) for path in sorted(paths)]
    over = {w.path: w.without_diagrams for w in weights if w.without_diagrams > BUDGET_BYTES}
    assert not over, over
    assert all(w.bytes_by_kind.get("font", 0) == 0 for w in weights)  # no web fonts


# --- without JavaScript ---------------------------------------------------------------------------


def test_content_is_readable_without_javascript(
    site: SitePages, browser: Any, base_url: str
) -> None:
    no_js = Tab(browser, base_url, viewport=DESKTOP, java_script_enabled=False)
    try:
        page = no_js.open(site.chapter)
        assert page.locator("article h1").is_visible()
        assert page.locator(".sd-card.hoshin-kihon").is_visible()
        assert "利用者ニーズを反映した" in page.inner_text("article")
        diagram_page = next(
            (p for p in site.content if "hoshin-flow-svg" in (site.root / p).read_text("utf-8")),
            None,
        )
        if diagram_page:
            page = no_js.open(diagram_page)
            svg = page.locator(".hoshin-flow-svg svg").first
            assert svg.is_visible() and (svg.bounding_box() or {}).get("height", 0) > 50
        term_page = next(
            (p for p in site.content if "hoshin-term" in (site.root / p).read_text("utf-8")), None
        )
        if term_page and site.glossary:
            page = no_js.open(term_page)
            term = page.locator("a.hoshin-term").first
            href = term.get_attribute("href") or ""
            term.click()
            page.wait_for_load_state()
            assert page.url.endswith(href.split("/")[-1])
            anchor = href.split("#")[-1]
            assert page.locator(f"[id='{anchor}']").is_visible()
        if site.shinkyu:
            page = no_js.open(site.shinkyu)
            table = page.locator("table").first
            assert table.is_visible()
            assert len(page.inner_text("article")) > 200
    finally:
        no_js.close()


# --- print -------------------------------------------------------------------------------------------


def test_a_chapter_prints_cleanly_on_a4(site: SitePages, tab: Tab, screenshots: Path) -> None:
    page = tab.open(site.chapter)
    page.emulate_media(media="print")
    layout = page.evaluate(
        """() => ({
          hidden: [".sidebar-drawer", ".toc-drawer", ".mobile-header", ".skip-to-content",
                   ".related-pages", ".back-to-top"].filter(s => {
            const el = document.querySelector(s);
            return el && getComputedStyle(el).display !== "none";
          }),
          articleWidth: document.querySelector("article").getBoundingClientRect().width,
          pageWidth: document.documentElement.clientWidth,
        })"""
    )
    assert not layout["hidden"], f"still printed: {layout['hidden']}"
    assert layout["articleWidth"] >= 0.85 * layout["pageWidth"], layout
    pdf = screenshots / "chapter-print-a4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.stat().st_size > 10_000
