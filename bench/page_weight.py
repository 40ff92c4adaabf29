"""Page weight of the web edition: everything a page makes the browser load, per page type.

Loads each page of a built site in Debian's chromium (through Playwright, served on 127.0.0.1,
empty cache) and adds up the bodies of every response by kind: the HTML itself, CSS, JavaScript,
fonts, and the rest. Diagrams are counted apart: inline SVG diagrams (``.hoshin-flow-svg``) are
subtracted from the HTML and images are listed on their own. The budget (issue 11) is 200 KB for
a chapter page without its diagrams; 1 KB = 1,000 bytes, uncompressed.

Writes a Markdown fragment (the "ページの重さ" table of docs/benchmarks.md) to
``_build/bench/page_weight.md`` and, with ``--update-docs``, replaces that section in
docs/benchmarks.md in place.

    .venv/bin/python bench/page_weight.py [--site _build/html] [--build] [--update-docs] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PageWeight,
    chapter_candidates,
    discover,
    measure,
    serve,
)

BUDGET_KB = 200
FRAGMENT = REPO / "_build" / "bench" / "page_weight.md"
DOCS = REPO / "docs" / "benchmarks.md"
SECTION_START = "<!-- page-weight:start (bench/page_weight.py --update-docs) -->"
SECTION_END = "<!-- page-weight:end -->"


def measure_site(site_root: Path) -> list[PageWeight]:
    from playwright.sync_api import sync_playwright

    pages = discover(site_root)
    plan: list[tuple[str, str]] = [("ホーム", pages.home), ("章のページ（3-1-2）", pages.chapter)]
    if "meeting4/members.html" in pages.content:
        plan.append(("有識者会議資料（委員名簿）", "meeting4/members.html"))
    if pages.glossary:
        plan.append(("用語集", pages.glossary))
    if pages.shinkyu:
        plan.append(("新旧対照表", pages.shinkyu))
    if pages.older_version:
        plan.append(("旧版のページ", pages.older_version))
    plan.append(
        (
            "検索結果（オープンデータ）",
            "search.html?q=%E3%82%AA%E3%83%BC%E3%83%97%E3%83%B3%E3%83%87%E3%83%BC%E3%82%BF",
        )
    )
    if (site_root / "genindex.html").exists():
        plan.append(("索引", "genindex.html"))

    with serve(site_root) as base_url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = [measure(browser, base_url, kind, path) for kind, path in plan]
        chapters = [
            measure(browser, base_url, "", path)
            for path in chapter_candidates(site_root, pages.content, 3)
            if path != pages.chapter
        ]
        browser.close()
    if chapters:
        heaviest = max(chapters, key=lambda w: w.without_diagrams)
        heaviest.kind = f"最も重い章のページ（{Path(heaviest.path).stem}）"
        results.insert(2, heaviest)
        drawn = max(chapters, key=lambda w: w.diagrams)
        if drawn.diagrams and drawn is not heaviest:
            drawn.kind = f"図のある章のページ（{Path(drawn.path).stem}）"
            results.insert(3, drawn)
    return results


def _kb(n: int) -> str:
    return f"{n / 1000:.1f}"


def render_markdown(weights: list[PageWeight], site_note: str) -> str:
    lines = [
        "| ページの種類 | HTML | CSS | JS | フォント | その他 | 合計（図を除く） | 図 | 予算内 |",
        "|---|--:|--:|--:|--:|--:|--:|--:|:-:|",
    ]
    for w in weights:
        b = w.bytes_by_kind
        html_kb = b.get("html", 0) - w.inline_diagrams
        ok = "○" if w.without_diagrams <= BUDGET_KB * 1000 else "×"
        if w.path.startswith("search.html"):
            ok = "—"  # the search index is not part of a document page
        lines.append(
            f"| {w.kind} | {_kb(html_kb)} | {_kb(b.get('css', 0))} | {_kb(b.get('js', 0))} | "
            f"{_kb(b.get('font', 0))} | {_kb(b.get('other', 0))} | **{_kb(w.without_diagrams)}** | "
            f"{_kb(w.diagrams)} | {ok} |"
        )
    return (
        f"単位は KB（1 KB = 1,000 バイト、圧縮なし）。予算は図を除いて {BUDGET_KB} KB。"
        f"{site_note}\n\n" + "\n".join(lines) + "\n"
    )


def update_docs(fragment: str) -> None:
    """Replace (or add) the ページの重さ section of docs/benchmarks.md, leaving the rest alone."""
    block = f"{SECTION_START}\n{fragment}{SECTION_END}"
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# ベンチマーク\n"
    if SECTION_START in text and SECTION_END in text:
        start = text.index(SECTION_START)
        end = text.index(SECTION_END) + len(SECTION_END)
        text = text[:start] + block + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n## ページの重さ\n\n" + block + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--build", action="store_true", help="run `hoshin build` first")
    parser.add_argument("--update-docs", action="store_true", help="rewrite the section in docs")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.build:
        subprocess.run(
            [str(REPO / ".venv" / "bin" / "hoshin"), "-C", str(REPO), "build"], check=True
        )
    weights = measure_site(args.site.resolve())
    note = "測定: `bench/page_weight.py`（Debian の chromium で各ページを開き、読み込んだものを合計）。"
    fragment = render_markdown(weights, note)
    FRAGMENT.parent.mkdir(parents=True, exist_ok=True)
    FRAGMENT.write_text(fragment, encoding="utf-8")
    if args.update_docs:
        update_docs(fragment)
    if args.json:
        print(
            json.dumps(
                [asdict(w) | {"without_diagrams": w.without_diagrams} for w in weights],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(fragment)
    over = [w for w in weights if "章" in w.kind and w.without_diagrams > BUDGET_KB * 1000]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
