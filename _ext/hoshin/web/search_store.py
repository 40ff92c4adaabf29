"""Sphinx glue of the search text store (:mod:`hoshin.web.search_text`).

- Each document's own text is collected from its doctree when it is read
  (:class:`SearchTextCollector`: per-document data on the environment, purged and merged, so
  incremental and parallel builds stay right). Glossary tooltips do not exist yet then and
  the version bar is added to the rendered page later: neither enters the store.
- Pages that are not documents (the 新旧対照表 pages of the revisions feature, made through
  ``html-collect-pages``) are taken from the body HTML their extension hands to the theme,
  before other extensions add furniture around it.
- At the end of an HTML build the store is written next to ``searchindex.js`` as
  ``searchtext.js``; the search page (``templates/search.html``) loads it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.collectors import EnvironmentCollector

from hoshin.core.atomicfile import write_text_atomic
from hoshin.core.buildstate import PerBuild
from hoshin.web.search_text import PageText, PageTextBuilder, clean_block, mark_words, store_script

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

STORE_FILE = "searchtext.js"
_ENV_ATTR = "hoshin_search_text"
#: Runs before the revisions feature adds the version bar to a page body (priority 500).
BODY_CONTEXT_PRIORITY = 450
_HTML_BUILDERS = ("html", "dirhtml")
_SKIPPED = (
    nodes.comment,
    nodes.raw,
    nodes.system_message,
    nodes.substitution_definition,
    nodes.Invisible,
    addnodes.toctree,
)


#: Cross-references whose text, unless given, is the target's title (unknown while reading).
_TITLED_REFS = frozenset({"ref", "doc", "numref"})


def page_text(doctree: nodes.Node) -> PageText:
    """The text of a page as residents read it, block by block, with its sections."""
    builder = PageTextBuilder("")
    pending: list[str] = []

    def flush() -> None:
        if pending:
            builder.add_block("".join(pending))
            pending.clear()

    def visit(node: nodes.Node) -> None:
        if isinstance(node, _SKIPPED) and not isinstance(node, nodes.target):
            return
        if isinstance(node, nodes.Element) and "no-search" in node["classes"]:
            return
        if (
            isinstance(node, addnodes.pending_xref)
            and node.get("reftype") in _TITLED_REFS
            and not node.get("refexplicit")
        ):
            return  # its text is the label, replaced by the section's title only when written
        if isinstance(node, nodes.Text):
            pending.append(node.astext())
            return
        inline = isinstance(node, nodes.Inline)
        if not inline:
            flush()
        # A section below the page title, or a glossary entry: an anchor a result can link to.
        anchored = isinstance(node, nodes.term) or (
            isinstance(node, nodes.section) and not isinstance(node.parent, nodes.document)
        )
        if anchored and node["ids"]:
            builder.add_section(node["ids"][0])
        for child in node.children:
            visit(child)
        if not inline:
            flush()

    visit(doctree)
    flush()
    return builder.build()


_DROP_RE = re.compile(
    r"<(script|style|template)\b.*?</\1>|<span class=\"hoshin-tip\".*?</span>", re.I | re.S
)
_BLOCK_END_RE = re.compile(r"<br\s*/?>|</(?:p|div|li|td|th|tr|dt|dd|h[1-6]|caption|pre)>", re.I)
_HEADING_RE = re.compile(r"<h[1-6]\b[^>]*?\bid=\"([^\"]+)\"[^>]*>", re.I)
_TAG_RE = re.compile(r"<[^>]+>")


def body_text(body: str) -> PageText:
    """The text of a page that exists only as body HTML (no doctree)."""
    builder = PageTextBuilder("")
    body = _DROP_RE.sub("", body)
    headings = {m.start(): m for m in _HEADING_RE.finditer(body)}
    position = 0
    for end in [*(m.end() for m in _BLOCK_END_RE.finditer(body)), len(body)]:
        chunk = body[position:end]
        heading = next((headings[s] for s in sorted(headings) if position <= s < end), None)
        if heading is not None:
            builder.add_section(heading[1])
        builder.add_block(html.unescape(_TAG_RE.sub("", chunk)))
        position = end
    return builder.build()


class SearchTextCollector(EnvironmentCollector):
    """Per-document search text on the environment (``env.hoshin_search_text``)."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        _store(env).pop(docname, None)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        theirs = _store(other)
        mine = _store(env)
        for docname in docnames:
            if docname in theirs:
                mine[docname] = theirs[docname]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        if app.builder.format == "html":
            _store(app.env)[app.env.docname] = page_text(doctree)


def _store(env: BuildEnvironment) -> dict[str, PageText]:
    store = getattr(env, _ENV_ATTR, None)
    if store is None:
        store = {}
        setattr(env, _ENV_ATTR, store)
    return store


#: Pages of the build that are not documents (not pickled: they are made every build).
_EXTRA_PAGES: PerBuild[dict[str, PageText]] = PerBuild("extra search pages")


def _extra_pages(app: Sphinx) -> dict[str, PageText]:
    pages = _EXTRA_PAGES.get(app.env)
    return _EXTRA_PAGES.set(app.env, {}) if pages is None else pages


def _collect_extra_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if (
        app.builder.name not in _HTML_BUILDERS
        or doctree is not None
        or pagename in app.env.found_docs
        or templatename != "page.html"
        or not isinstance(context.get("body"), str)
        or context.get("hoshin_no_search")  # e.g. a term's back-link page: only titles
    ):
        return
    page = body_text(context["body"])
    page.title = html.unescape(_TAG_RE.sub("", str(context.get("title") or pagename)))
    _extra_pages(app)[pagename] = page


def _write_store(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.name not in _HTML_BUILDERS:
        return
    env = app.env
    builder: Any = app.builder
    rows: list[tuple[str, PageText]] = []
    for docname, page in sorted(_store(env).items()):
        if docname not in env.found_docs:
            continue
        title = env.titles[docname].astext() if docname in env.titles else docname
        rows.append((builder.get_target_uri(docname), PageText(title, page.text, page.sections)))
    for pagename, page in sorted(_extra_pages(app).items()):
        rows.append((builder.get_target_uri(pagename), page))
    for _uri, page in rows:
        page.title = mark_words(clean_block(page.title))
    write_text_atomic(Path(app.outdir) / STORE_FILE, store_script(rows))


def setup_search_store(app: Sphinx) -> None:
    app.add_env_collector(SearchTextCollector)
    app.connect("html-page-context", _collect_extra_page, priority=BODY_CONTEXT_PRIORITY)
    app.connect("build-finished", _write_store)
