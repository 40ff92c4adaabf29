"""Helpers for the browser tests: a local web server, page discovery, axe-core and geometry probes.

Everything runs against 127.0.0.1; the browser is Debian's chromium driven by Playwright.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hoshin.diagrams.render import CHROMIUM as _CHROMIUM
from hoshin.diagrams.render import CHROMIUM_ARGS as _CHROMIUM_ARGS

#: The browser and flags hoshin itself uses for mermaid-cli (no downloads, no phoning home).
CHROMIUM = str(_CHROMIUM)
CHROMIUM_ARGS = list(_CHROMIUM_ARGS)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}

#: Pages that are not part of the document itself.
_NOT_CONTENT = {"genindex.html", "search.html", "py-modindex.html"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Keep-alive, no request log; assets are cacheable so page after page loads fast."""

    protocol_version = "HTTP/1.1"

    def end_headers(self) -> None:
        if "/_static/" in self.path:
            self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (any free port) in a thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class RequestLog:
    """Every URL the browser asked for, and those that left 127.0.0.1 (blocked)."""

    seen: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def route(self, route: Any) -> None:
        url = route.request.url
        self.seen.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()


@dataclass(frozen=True)
class SitePages:
    """Paths (relative to the site root) of each kind of page the tests visit."""

    root: Path
    content: tuple[str, ...]
    glossary: str | None
    shinkyu: str | None
    older_version: str | None

    home: str = "index.html"
    chapter: str = "3/3-1-2.html"

    def kinds(self) -> dict[str, str]:
        """Page kind → path, for the kinds this build has."""
        found = {"home": self.home, "chapter": self.chapter}
        for kind in ("glossary", "shinkyu", "older_version"):
            if path := getattr(self, kind):
                found[kind] = path
        return found


_GLOSSARY_RE = re.compile(r'<dl class="[^"]*\bglossary\b')
_SHINKYU_RE = re.compile(r"<title>[^<]*新旧対照表")


def discover(root: Path) -> SitePages:
    """Find the pages of each kind in a built site (current edition at the top level)."""
    content: list[str] = []
    glossary = shinkyu = None
    for html in sorted(root.rglob("*.html")):
        rel = html.relative_to(root).as_posix()
        if rel.startswith("_") or rel in _NOT_CONTENT:
            continue
        text = html.read_text(encoding="utf-8")
        if _is_other_version(rel):
            continue
        content.append(rel)
        if glossary is None and _GLOSSARY_RE.search(text):
            glossary = rel
        if shinkyu is None and _SHINKYU_RE.search(text):
            shinkyu = rel
    older = next(
        (
            p.relative_to(root).as_posix()
            for p in sorted(root.rglob("*.html"))
            if _is_other_version(p.relative_to(root).as_posix())
        ),
        None,
    )
    return SitePages(root, tuple(content), glossary, shinkyu, older)


def _is_other_version(rel: str) -> bool:
    # Frozen versions live in their own folder tree (see hoshin.revisions.editions); the current
    # edition is the top level.
    first = rel.split("/", 1)[0]
    return "/" in rel and (first in ("v", "versions") or first.startswith("ver"))


def run_axe(page: Any, axe_js: Path) -> list[dict[str, Any]]:
    """axe-core's violations for the loaded page at WCAG 2.1 A/AA."""
    page.add_script_tag(path=str(axe_js))
    return page.evaluate(
        """async (tags) => {
             const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
             return result.violations.map((v) => ({
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary),
             }));
           }""",
        AXE_TAGS,
    )


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {node}" for node in v["nodes"][:5])
    return "\n".join(lines)


#: Horizontal overflow of the document and any wide element that does not sit inside a
#: container that scrolls horizontally.
OVERFLOW_PROBE = """() => {
  const doc = document.scrollingElement;
  const width = doc.clientWidth;
  const scrollsX = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const offenders = [];
  for (const el of document.querySelectorAll("article *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let ancestor = el.parentElement, contained = false;
    while (ancestor && ancestor !== document.body) {
      if (scrollsX(ancestor) && ancestor.getBoundingClientRect().right <= width + 1) {
        contained = true;
        break;
      }
      ancestor = ancestor.parentElement;
    }
    if (!contained) offenders.push(el.tagName.toLowerCase() + "." + [...el.classList].join("."));
  }
  return {scrollWidth: doc.scrollWidth, clientWidth: width, offenders: offenders.slice(0, 10)};
}"""

#: The focused element and whether it shows a focus indicator (outline or box shadow).
FOCUS_PROBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), cls: el.className && String(el.className),
    text: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40),
    visibleIndicator: outline || Boolean(shadow),
    onScreen: box.width > 0 && box.height > 0,
  };
}"""


# --- page weight (the 200 KB budget; also used by bench/page_weight.py) ---------------------

_KIND_OF_RESOURCE = {
    "document": "html",
    "stylesheet": "css",
    "script": "js",
    "font": "font",
    "image": "image",
}
_INLINE_DIAGRAM_RE = re.compile(rb'<div class="hoshin-flow-svg"[^>]*><svg.*?</svg>', re.S)
_DIAGRAM_BYTES_JS = """() => [...document.querySelectorAll(".hoshin-flow-svg svg")]
  .reduce((sum, svg) => sum + new TextEncoder().encode(svg.outerHTML).length, 0)"""


@dataclass
class PageWeight:
    """What loading one page fetched, in bytes by kind (html, css, js, font, image, other)."""

    kind: str
    path: str
    bytes_by_kind: dict[str, int] = field(default_factory=dict)
    inline_diagrams: int = 0
    requests: int = 0

    @property
    def without_diagrams(self) -> int:
        return sum(v for k, v in self.bytes_by_kind.items() if k != "image") - self.inline_diagrams

    @property
    def diagrams(self) -> int:
        return self.inline_diagrams + self.bytes_by_kind.get("image", 0)


def measure(browser: Any, base_url: str, kind: str, path: str) -> PageWeight:
    """Load ``path`` in a fresh context (no cache) and add up what it fetched."""
    context = browser.new_context(viewport=DESKTOP)
    responses: list[Any] = []
    context.on("response", lambda response: responses.append(response))
    page = context.new_page()
    page.goto(base_url + path, wait_until="load")
    if path.startswith("search.html"):
        page.wait_for_function(
            "document.querySelector('#search-results .search-summary')?.textContent.length > 0"
        )
        page.wait_for_load_state("networkidle")
    weight = PageWeight(kind, path)
    document_url = page.url
    for response in responses:
        if response.status >= 400 or not response.url.startswith(base_url):
            continue
        resource = response.request.resource_type
        bucket = _KIND_OF_RESOURCE.get(resource, "other")
        if resource == "document" and response.url != document_url:
            bucket = "other"
        if resource in ("fetch", "xhr"):
            bucket = "other"
        size = len(response.body())
        weight.bytes_by_kind[bucket] = weight.bytes_by_kind.get(bucket, 0) + size
        weight.requests += 1
    weight.inline_diagrams = page.evaluate(_DIAGRAM_BYTES_JS)
    context.close()
    return weight


def chapter_candidates(site_root: Path, content: tuple[str, ...], count: int) -> list[str]:
    """Chapter pages worth loading: the ``count`` with the most HTML (diagrams excluded) and
    the one with the most inline diagram bytes."""
    sizes: dict[str, int] = {}
    drawn: dict[str, int] = {}
    for path in content:
        if not re.match(r"\d/", path):
            continue
        text = (site_root / path).read_bytes()
        drawn[path] = sum(len(m) for m in _INLINE_DIAGRAM_RE.findall(text))
        sizes[path] = len(text) - drawn[path]
    chosen = sorted(sizes, key=sizes.__getitem__, reverse=True)[:count]
    most_drawn = max(drawn, key=drawn.__getitem__, default=None)
    if most_drawn and drawn[most_drawn] and most_drawn not in chosen:
        chosen.append(most_drawn)
    return chosen
