"""Screenshot gallery of the web edition: every page kind on a phone and a desktop, light and dark.

Serves a built site on 127.0.0.1, opens each page kind in Debian's chromium (Playwright) at
375 px (phone) and 1280 px (desktop), in the light and the dark colour scheme, and writes
``<kind>-<phone|desktop>-<light|dark>.jpg``; docs/web.md shows them. ``make gallery-web``
builds the site and writes the gallery into ``docs/_static/web-gallery/``.

    .venv/bin/python bench/gallery.py [--site _build/html] [--out docs/_static/gallery]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, discover, serve  # noqa: E402

VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 375, "height": 740},
        "device_scale_factor": 1,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 860}},
}
SCHEMES: tuple[Literal["light", "dark"], ...] = ("light", "dark")
KIND_NAMES = {
    "home": "ホーム",
    "chapter": "章のページ",
    "diagram": "図のあるページ",
    "glossary": "用語集",
    "shinkyu": "新旧対照表",
    "search": "検索結果",
}


def plan(site_root: Path) -> dict[str, str]:
    """Page kind → path (relative to the site root) for the kinds this build has."""
    pages = discover(site_root)
    kinds = pages.kinds()
    diagram = next(
        (p for p in pages.content if "hoshin-flow-svg" in (site_root / p).read_text("utf-8")),
        None,
    )
    if diagram:
        kinds["diagram"] = diagram
    kinds["search"] = "search.html?q=" + quote("情報セキュリティ")
    return {kind: kinds[kind] for kind in KIND_NAMES if kind in kinds}


def shoot(site_root: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with serve(site_root) as base_url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for kind, path in plan(site_root).items():
            for device, options in VIEWPORTS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(locale="ja-JP", color_scheme=scheme, **options)
                    page = context.new_page()
                    page.goto(base_url + path, wait_until="load")
                    if kind == "search":
                        page.wait_for_function(
                            "document.querySelector('#search-results .search-summary')"
                            "?.textContent.length > 0"
                        )
                    if kind == "diagram":
                        page.locator(".hoshin-flow").first.scroll_into_view_if_needed()
                    target = out / f"{kind}-{device}-{scheme}.jpg"
                    # JPEG at 70: the text stays legible at about a third of the PNG size
                    page.screenshot(path=str(target), type="jpeg", quality=70)
                    written.append(target)
                    context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "_static" / "web-gallery")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        parser.error(f"no built site in {args.site}: run hoshin build first")
    for path in shoot(args.site, args.out):
        sys.stdout.write(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
