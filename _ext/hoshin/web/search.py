"""Japanese site search that finds what residents type: index and query cut the same way.

Sphinx's own Japanese search cuts the index with TinySegmenter but leaves the query uncut, so
a compound typed without spaces (理事会, 匿名加工情報) must equal one index word and usually
finds nothing. hoshin replaces the ``ja`` search language with one whose index words and whose
browser-side ``splitQuery`` both come from :mod:`hoshin.web.search_tokens` (overlapping
bigrams), and collects the text of a paragraph as one piece, so that words running across
inline markup (a glossary link, emphasis) are found too.

Isolation: ``app.add_search_language`` fills a table that every Sphinx application of the
process shares, so the language is registered under a key of its own (:data:`SEARCH_LANGUAGE`)
and a project loading hoshin.web asks for it at ``config-inited``; a plain Sphinx project in
the same process (tests, an editor's preview) keeps Sphinx's own ``ja``. Collecting words block
by block has no public hook: the HTML indexer's private ``_word_collector`` is replaced, for
hoshin's language only (``tests/test_search_isolation.py`` pins it to the allowed Sphinx).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.search import SearchLanguage, WordStore

from hoshin.web.search_tokens import SPLIT_QUERY_JS, is_japanese, split_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


#: The key of hoshin's Japanese search among Sphinx's search languages.
SEARCH_LANGUAGE = "ja_hoshin"
#: The language the pages are written in (``lang`` of keywords meta data).
JAPANESE = "ja"


class SearchJapaneseBigram(SearchLanguage):
    """Japanese search with bigrams on both sides, no stemming, no stop words."""

    lang = SEARCH_LANGUAGE
    language_name = "Japanese"
    js_splitter_code = SPLIT_QUERY_JS

    def split(self, input: str) -> list[str]:
        return split_text(input)

    def word_filter(self, word: str) -> bool:
        # A lone Japanese character is a word of its own (住民記録、税、福祉); a lone Latin
        # letter is noise. The browser skips digit-only terms.
        if word.isdigit():
            return False
        return len(word) > 1 or is_japanese(word)


_STYLE_RE = re.compile(r"<style.*?</style>", re.IGNORECASE | re.DOTALL)
_SCRIPT_RE = re.compile(r"<script.*?</script>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^<]+?>")


def collect_words(
    doctree: nodes.Node, split: Callable[[str], list[str]], language: str
) -> WordStore:
    """The words of a page as Sphinx's indexer collects them, but block by block.

    Sphinx splits every text node on its own, so 匿名加工情報の活用 with a link on 匿名加工情報
    would lose the bigram 報の. Here the text of inline nodes joins that of the block around it.
    """
    store = WordStore()
    pending: list[str] = []

    def flush() -> None:
        if pending:
            store.words.extend(split("".join(pending)))
            pending.clear()

    def visit(node: nodes.Node) -> None:
        if isinstance(node, nodes.comment):
            return
        if isinstance(node, nodes.Element) and "no-search" in node["classes"]:
            return
        if isinstance(node, nodes.Text):
            pending.append(node.astext())
            return
        if isinstance(node, nodes.raw):
            if "html" in node.get("format", "").split():
                text = _TAG_RE.sub("", _SCRIPT_RE.sub("", _STYLE_RE.sub("", node.astext())))
                store.words.extend(split(text))
            return
        if isinstance(node, nodes.meta) and _is_keywords(node, language):
            store.words.extend(k.strip() for k in node["content"].split(","))
        inline = isinstance(node, nodes.Inline)
        if not inline:
            flush()
        if isinstance(node, nodes.title):
            title = node.astext()
            ids = node.parent["ids"] if isinstance(node.parent, nodes.Element) else []
            is_main = not store.titles
            store.titles.append((title, None if is_main or not ids else ids[0]))
            store.title_words.extend(split(title))
        for child in node.children:
            visit(child)
        if not inline:
            flush()

    visit(doctree)
    flush()
    return store


def _is_keywords(node: nodes.meta, language: str) -> bool:
    return node.get("name") == "keywords" and node.get("lang") in (None, language)


def _use_block_collector(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Point the HTML builder's indexer at :func:`collect_words` (once per build).

    The indexer exists only after ``prepare_writing``; ``doctree-resolved`` is the first event
    after that, in the main process even for parallel writes (indexing happens there).
    """
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None or getattr(indexer, "_hoshin_blocks", False):
        return
    if not isinstance(indexer.lang, SearchJapaneseBigram):
        return
    lang = indexer.lang
    indexer._word_collector = lambda tree: collect_words(tree, lang.split, JAPANESE)
    indexer._hoshin_blocks = True


def _search_page_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """On the search page only: the search itself (``hoshin-search.js``, reading the text store
    of :mod:`hoshin.web.search_store`), which also lists the print editions (PDF) whose names
    match the query (``window.hoshinPdfs``, set by the revisions feature when the site has
    PDFs)."""
    if templatename == "search.html":
        app.add_js_file("hoshin-search.js", defer="defer")


def _keep_index_entries(app: Sphinx, env: BuildEnvironment) -> None:
    """Carry the index entries of pages not written again into the new ``searchindex.js``.

    Sphinx 9 reloads titles and words of unchanged pages from the last ``searchindex.js`` but
    not their index entries (the glossary's terms), so an incremental build lost them. They
    are put back on the environment, where the indexer reads them; pages written again
    replace theirs when they are indexed.
    """
    from sphinx.search import js_index

    index = Path(app.outdir) / str(getattr(app.builder, "searchindex_filename", ""))
    if app.builder.format != "html" or not index.is_file():
        return
    try:
        frozen = js_index.loads(index.read_text(encoding="utf-8"))
        docnames = frozen["docnames"]
        restored: dict[str, set[tuple[str, str, str]]] = {}
        for entry, places in frozen.get("indexentries", {}).items():
            for doc, target, main in places:
                restored.setdefault(docnames[doc], set()).add(
                    (entry, target, "main" if main else "")
                )
    except (ValueError, KeyError, IndexError, TypeError):
        return  # Sphinx rebuilds or warns about an unreadable index itself
    entries = env._search_index_index_entries
    for docname in [d for d in entries if d not in env.found_docs]:
        del entries[docname]  # a removed page (Sphinx would fail on it when dumping)
    for docname, found in restored.items():
        if docname in env.found_docs:
            entries[docname] = sorted(found)


def _drop_empty_terms(app: Sphinx) -> list[Any]:
    """Forget words no page holds any more before ``searchindex.js`` is written.

    An incremental build removes the pages written again from each word's page set and adds
    them back where the word still occurs; Sphinx 9 writes a word left with no page as
    ``"word": []``, so a removed glossary entry or sentence stayed in the index. Runs as
    ``html-collect-pages``, after every page is indexed and before the index is written.
    """
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None:
        for mapping in (indexer._mapping, indexer._title_mapping):
            for word in [w for w, pages in mapping.items() if not pages]:
                del mapping[word]
    return []


def _ask_for_hoshin_search(app: Sphinx, config: Config) -> None:
    """A Japanese project searches with :class:`SearchJapaneseBigram`."""
    language = config.html_search_language or config.language or ""
    if language.replace("-", "_").split("_")[0] == JAPANESE:
        config.html_search_language = SEARCH_LANGUAGE


def setup_search_ja(app: Sphinx) -> None:
    app.add_search_language(SearchJapaneseBigram)
    app.connect("config-inited", _ask_for_hoshin_search)
    app.connect("env-updated", _keep_index_entries)
    app.connect("html-collect-pages", _drop_empty_terms)
    app.connect("doctree-resolved", _use_block_collector)
    app.connect("html-page-context", _search_page_script)
