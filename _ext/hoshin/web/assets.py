"""Per-page stylesheets and scripts: a page loads only what it uses (the 200 KB page budget).

Sphinx and its extensions add their assets to every page. A policy chapter has no highlighted
code and, of sphinx-design, only cards; yet each page would load ``pygments.css`` (20 KB),
``sphinx-design.min.css`` (55 KB) and ``design-tabs.js`` (7 KB). On each page, after the body
is rendered:

- ``pygments.css`` stays only if the body has highlighted code;
- the glossary's tooltip script stays only where there are term links, its stylesheet also
  on the 用語集 page; the search page drops Sphinx's page scripts (its search is
  ``hoshin-search.js``); elsewhere Sphinx's highlighting of searched words (``?highlight=``,
  10 KB) is loaded only when a search result leads to the page;
- sphinx-design's stylesheet is replaced by ``hoshin-cards.css`` (its card rules, 1.5 KB) when
  every sphinx-design class on the page is one of :data:`CARD_CLASSES`, and dropped when there
  is none; its tab script stays only where there are tabs.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: sphinx-design classes that ``static/hoshin-cards.css`` styles.
CARD_CLASSES = frozenset(
    {
        "sd-card",
        "sd-card-body",
        "sd-card-text",
        "sd-card-title",
        "sd-font-weight-bold",
        "sd-mb-3",
        "sd-shadow-sm",
        "sd-sphinx-override",
    }
)
_SD_CLASS_RE = re.compile(r"\bsd-[a-z0-9-]+")
_CLASS_ATTR_RE = re.compile(r'class="([^"]*)"')
#: Sphinx's own pages without a document body; they use no code highlighting or cards.
_BODYLESS_TEMPLATES = frozenset(
    {
        "search.html",
        "genindex.html",
        "genindex-single.html",
        "genindex-split.html",
        "domainindex.html",
    }
)
#: Sphinx's "#" permalink after each 用語集 term: 134 extra Tab stops and 11 KB on the page;
#: the term's anchor stays (``glossary.html#term-…`` links keep working).
_TERM_PERMALINK_RE = re.compile(r'<a class="headerlink" href="#term-[^"]*" title="[^"]*">#</a>')
#: Scripts that only highlight the words of a search (``?highlight=``): loaded on demand.
_HIGHLIGHT_SCRIPTS = ("translations.js", "sphinx_highlight.js")
#: They sit next to doctools.js, wherever that is (a frozen version may share the site's).
_HIGHLIGHT_LOADER = (
    "(() => { if (!/[?&]highlight=/.test(location.search)) return;"
    " const doctools = document.querySelector(\"script[src*='doctools.js']\");"
    " if (!doctools) return;"
    ' for (const name of %s) { const s = document.createElement("script");'
    " s.src = doctools.src.replace(/doctools\\.js.*$/, name); s.async = false;"
    " document.head.appendChild(s); } })();"
)
#: Runs after the theme's and other extensions' handlers (default priority 500).
PAGE_CONTEXT_PRIORITY = 800


def design_classes(body: str) -> set[str]:
    """The sphinx-design classes used in a rendered page body."""
    found: set[str] = set()
    for attr in _CLASS_ATTR_RE.findall(body):
        found.update(_SD_CLASS_RE.findall(attr))
    return found


def _filename(asset: Any) -> str:
    return str(getattr(asset, "filename", asset)).rsplit("/", 1)[-1]


def _trim_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    body = context.get("body")
    if not isinstance(body, str):
        if templatename not in _BODYLESS_TEMPLATES:
            return  # another extension's page: its content is not known here
        body = ""
    if "css_files" not in context:
        return
    drop: set[str] = set()
    if 'class="highlight' not in body:
        drop.add("pygments.css")
    if "hoshin-shinkyu" not in body:
        drop.add("hoshin-shinkyu.css")
    if "hoshin-term-wrap" not in body:
        drop.add("hoshin-terms.js")
        if "hoshin-glossary" not in body:
            drop.add("hoshin-terms.css")
    if templatename == "search.html":  # hoshin-search.js needs none of Sphinx's page scripts
        drop.update(("doctools.js", "sphinx_highlight.js", "translations.js"))
        drop.add("hoshin-versions.css")  # it has no version bar (no body)
    elif any(_filename(a) == "sphinx_highlight.js" for a in context.get("script_files", [])):
        drop.update(_HIGHLIGHT_SCRIPTS)
        loader = _HIGHLIGHT_LOADER % json.dumps(list(_HIGHLIGHT_SCRIPTS))
        app.add_js_file(None, body=loader)  # page-local when called in this event
    if "hoshin-glossary" in body and isinstance(context.get("body"), str):
        context["body"] = _TERM_PERMALINK_RE.sub("", context["body"])
    classes = design_classes(body)
    if not any(c.startswith("sd-tab") for c in classes):
        drop.add("design-tabs.js")
    if classes <= CARD_CLASSES:
        drop.add("sphinx-design.min.css")
        if classes:
            app.add_css_file("hoshin-cards.css")  # page-local when called in this event
    css_files = context["css_files"]
    css_files[:] = [a for a in css_files if _filename(a) not in drop]
    scripts = context.get("script_files", [])
    scripts[:] = [a for a in scripts if _filename(a) not in drop]


def setup_webassets(app: Sphinx) -> None:
    app.connect("html-page-context", _trim_assets, priority=PAGE_CONTEXT_PRIORITY)
