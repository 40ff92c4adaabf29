"""The layout of a built site, defined once: where pages, versions and print editions live.

``index.html`` … is the working draft, ``versions/<id>/…`` each frozen version (built by its
own process), ``shinkyu/<old>-<new>.html`` the 新旧対照表 pages and ``pdf/`` the print
editions. Every feature that links across the site takes its URLs and file names from here.
No Sphinx import: ``app`` is only read.
"""

from __future__ import annotations

from typing import Any

#: Site folder of the PDFs (``_build/html/pdf/``, a copy of ``_build/pdf/``).
SITE_PDF_DIR = "pdf"
#: The version id of the working draft (what ``source/`` holds now).
CURRENT = "current"


def version_pdf_name(slug: str, version_id: str) -> str:
    return f"{slug}-{version_id}.pdf"


def shinkyu_pdf_name(slug: str, old: str, new: str) -> str:
    return f"{slug}-shinkyu-{old}-{new}.pdf"


def opinions_pdf_name(slug: str, event_id: str) -> str:
    """The PDF of one consultation event's 「意見の概要と市の考え方」."""
    return f"{slug}-opinions-{event_id}.pdf"


def page_depth(app: Any, pagename: str) -> int:
    """How many folders deep a page's HTML file is below this build's root."""
    depth = pagename.count("/")
    if app.builder.name == "dirhtml" and pagename != "index" and not pagename.endswith("/index"):
        depth += 1
    return depth


def site_prefix(app: Any, pagename: str) -> str:
    """Relative URL from a page of this build to the root of the whole site."""
    prefix = "../" * page_depth(app, pagename)
    if app.config.hoshin_version_id != CURRENT:
        prefix += "../../"  # versions/<id>/ → the site root
    return prefix


def pdf_list_script(items: list[dict[str, str]]) -> str:
    """A script adding ``items`` ({label, href}) to the search page's list of print editions
    (``window.hoshinPdfs``, read by ``hoshin-search.js``): each feature adds its own PDFs."""
    import json

    data = json.dumps(items, ensure_ascii=False).replace("</", "<\\/")
    return f"(window.hoshinPdfs = window.hoshinPdfs || []).push(...{data});"
