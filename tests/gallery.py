"""``make gallery``: page images of the outputs for the guide (docs/_static/gallery-*.png).

Builds a copy of the project (web edition and PDFs) and writes three images: the first page
of the _63 → _83 新旧対照表 PDF, the first page of the 改訂箇所 table in the working draft's
PDF, and the 改訂箇所 of the web edition on a phone (375 px). Run from the repository root.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "_static"
_NOT_COPIED = shutil.ignore_patterns(".venv", "node_modules", "_build", ".git", "__pycache__")


def _pdf_page(pdf: Path, page: int, target: Path) -> None:
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(stem)], check=True)  # fmt: skip


def _page_with(pdf: Path, pattern: str) -> int:
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")  # fmt: skip
    for number, text in enumerate(pages, start=1):
        if re.search(pattern, text):
            return number
    raise SystemExit(f"{pdf.name}: no page matches {pattern!r}")


def _phone(site: Path, target: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, serve

    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 800}, locale="ja-JP",
                                      device_scale_factor=1)  # fmt: skip
        page = context.new_page()
        page.goto(base + "revisions.html", wait_until="load")
        box = page.locator("table.hoshin-revision-changes").bounding_box()
        assert box is not None
        page.screenshot(path=str(target), full_page=True,
                        clip={"x": 0, "y": box["y"] - 60, "width": 375, "height": 1100})  # fmt: skip
        browser.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(REPO, project, ignore=_NOT_COPIED)
        (project / "node_modules").symlink_to(REPO / "node_modules")
        diagrams = REPO / "_build" / ".cache" / "mermaid"
        if diagrams.is_dir():
            shutil.copytree(diagrams, project / "_build" / ".cache" / "mermaid")
        hoshin = Path(sys.executable).parent / "hoshin"
        subprocess.run([str(hoshin), "-C", str(project), "build", "--pdf"], check=True)
        pdfs = project / "_build" / "pdf"
        OUT.mkdir(parents=True, exist_ok=True)
        _pdf_page(pdfs / "joetsu-ict-shinkyu-_63-_83.pdf", 1, OUT / "gallery-shinkyu-pdf.png")
        draft = pdfs / "joetsu-ict-current.pdf"
        _pdf_page(draft, _page_with(draft, r"表 \d+: 改訂箇所"), OUT / "gallery-changes-pdf.png")
        _phone(project / "_build" / "html", OUT / "gallery-changes-phone.png")
    for name in ("gallery-shinkyu-pdf.png", "gallery-changes-pdf.png", "gallery-changes-phone.png"):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
