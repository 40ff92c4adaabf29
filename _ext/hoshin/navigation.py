"""Sidebar navigation: cheap to build, and on a shelf as big as the page's own document.

furo puts the site's whole table of contents, every page expanded, in the sidebar of every
page: it calls the template function ``toctree(titles_only=True, maxdepth=-1, …)``. Two
costs come with that, and hoshin removes both.

- **Per entry.** Sphinx resolves such a tree by deep-copying each document's full table of
  contents (every section heading) and only then dropping everything but the titles. hoshin
  resolves the same tree from titles-only copies of the tables of contents, made once per
  document per build (:class:`TitlesOnlyTocs`); the result is the same tree, node for node
  (``tests/test_navigation.py`` compares them).
- **Per site.** With ``hoshin_navigation = "document"`` the root document is a portal and
  each entry of its toctrees is a document: a page's sidebar holds a link back to the portal
  and the tree of the one document the page belongs to, so page weight and build time grow
  with that document, not with the shelf. The portal, and pages outside every document
  (index, search, a shared glossary), list the documents one level deep. The default
  ``"site"`` keeps the whole-site tree, which is right for a site that is one document.

Only the ``toctree()`` function in the page context is replaced, before furo's own
``html-page-context`` handler calls it; Sphinx still resolves the tree (captions, hidden
toctrees, ``current`` classes) and the theme still decorates it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

NAVIGATION_SCOPES = ("site", "document")
#: Runs before furo's handler (priority 500), which calls ``context["toctree"]``.
PAGE_CONTEXT_PRIORITY = 400


def document_of(
    toctree_includes: Mapping[str, Sequence[str]], root: str, docname: str
) -> str | None:
    """The document ``docname`` belongs to: its toctree ancestor just below ``root``.

    ``None`` for the root itself and for pages in no toctree. Like Sphinx's own ancestry,
    a page listed by two toctrees belongs to the one read last.
    """
    parent: dict[str, str] = {}
    for name, children in toctree_includes.items():
        parent |= dict.fromkeys(children, name)
    seen: set[str] = set()
    current = docname
    while current in parent and current not in seen:
        seen.add(current)
        if parent[current] == root:
            return current
        current = parent[current]
    return None


def portal_link_html(href: str, title: str) -> str:
    """The sidebar entry that leads back to the portal."""
    return (
        '<ul class="hoshin-nav-portal"><li class="toctree-l1">'
        f'<a class="reference internal" href="{html.escape(href)}">{html.escape(title)}</a>'
        "</li></ul>"
    )


class TitlesOnlyTocs:
    """``env.tocs`` as a ``titles_only`` toctree sees them: the title and the sub-toctrees.

    Sphinx makes exactly this pruning after copying a document's whole table of contents;
    doing it once per document spares the copy on every page. A document whose table of
    contents was replaced (re-read) is pruned again. Tables of contents that Sphinx would
    cut before pruning (``only`` blocks, a ``tocdepth``) are handed over whole.
    """

    def __init__(
        self, tocs: Mapping[str, nodes.bullet_list], metadata: Mapping[str, Mapping[str, Any]]
    ) -> None:
        self._tocs = tocs
        self._metadata = metadata
        self._pruned: dict[str, tuple[nodes.bullet_list, nodes.bullet_list]] = {}

    def __getitem__(self, docname: str) -> nodes.bullet_list:
        toc = self._tocs[docname]
        cached = self._pruned.get(docname)
        if cached is None or cached[0] is not toc:
            keep_whole = self._metadata.get(docname, {}).get("tocdepth", 0)
            cached = (toc, toc if keep_whole else titles_only_toc(toc))
            self._pruned[docname] = cached
        return cached[1]

    def __contains__(self, docname: object) -> bool:
        return docname in self._tocs


def titles_only_toc(toc: nodes.bullet_list) -> nodes.bullet_list:
    """A copy of ``toc`` with what Sphinx keeps for ``titles_only``: titles and toctrees."""
    from sphinx import addnodes

    if any(True for _ in toc.findall(addnodes.only)):
        return toc
    pruned = toc.deepcopy()
    for top_level in pruned.children:
        if len(top_level) > 1:
            if subtrees := list(top_level.findall(addnodes.toctree)):
                top_level[1][:] = subtrees  # type: ignore[index]
            else:
                top_level.pop(1)  # type: ignore[attr-defined]
    return pruned


class _TitlesOnlyEnv:
    """The build environment, except that ``tocs`` are :class:`TitlesOnlyTocs`."""

    def __init__(self, env: BuildEnvironment, tocs: TitlesOnlyTocs) -> None:
        self._env = env
        self.tocs = tocs

    def __getattr__(self, name: str) -> Any:
        return getattr(self._env, name)


def _titles_only_env(builder: StandaloneHTMLBuilder) -> Any:
    """One :class:`_TitlesOnlyEnv` per builder (so per build and per write process)."""
    env = builder.env
    proxy = builder.__dict__.get("_hoshin_titles_only_env")
    if proxy is None or proxy._env is not env:
        proxy = _TitlesOnlyEnv(env, TitlesOnlyTocs(env.tocs, env.metadata))
        builder.__dict__["_hoshin_titles_only_env"] = proxy
    return proxy


def _options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The options of a template's ``toctree()`` call, with the defaults Sphinx gives them."""
    options = {"collapse": True, "includehidden": False, "maxdepth": 0, "titles_only": False}
    options |= kwargs
    if options["maxdepth"] in ("", None):
        options["maxdepth"] = 0
    options["maxdepth"] = int(options["maxdepth"])
    return options


def site_toctree(builder: StandaloneHTMLBuilder, pagename: str, **kwargs: Any) -> str:
    """What Sphinx's own ``toctree()`` returns, resolved from titles-only tables of contents."""
    from sphinx.environment.adapters.toctree import global_toctree_for_doc

    options = _options(kwargs)
    env = _titles_only_env(builder) if options["titles_only"] else builder.env
    tree = global_toctree_for_doc(env, pagename, builder, tags=builder.tags, **options)
    return builder.render_partial(tree)["fragment"]


def document_toctree(
    builder: StandaloneHTMLBuilder, pagename: str, document: str, **kwargs: Any
) -> str:
    """The portal link plus the resolved tree of ``document`` as seen from ``pagename``."""
    from sphinx import addnodes
    from sphinx.environment.adapters.toctree import TocTree

    root = builder.config.root_doc
    node = addnodes.toctree()
    attributes = {
        "parent": root,
        "entries": [(None, document)],
        "includefiles": [document],
        "maxdepth": -1,
        "glob": False,
        "hidden": False,
        "includehidden": False,
        "numbered": 0,
        "titlesonly": False,
    }
    for key, value in attributes.items():
        node[key] = value
    options = _options(kwargs)
    env = _titles_only_env(builder) if options["titles_only"] else builder.env
    resolved = TocTree(env).resolve(pagename, builder, node, prune=True, **options)
    tree = builder.render_partial(resolved)["fragment"] if resolved is not None else ""
    titles = builder.env.titles
    title = titles[root].astext() if root in titles else root
    return portal_link_html(builder.get_relative_uri(pagename, root), title) + tree


def page_toctree(builder: StandaloneHTMLBuilder, pagename: str, scope: str) -> Callable[..., str]:
    """The ``toctree()`` function of one page."""
    document = None
    if scope == "document":
        document = document_of(builder.env.toctree_includes, builder.config.root_doc, pagename)

    def toctree(**kwargs: Any) -> str:
        if document is not None:
            return document_toctree(builder, pagename, document, **kwargs)
        if scope == "document":  # the portal and pages outside every document
            kwargs["maxdepth"] = 1
        return site_toctree(builder, pagename, **kwargs)

    return toctree


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if "toctree" in context and hasattr(app.builder, "render_partial"):
        context["toctree"] = page_toctree(app.builder, pagename, app.config.hoshin_navigation)  # type: ignore[arg-type]


def _check_scope(app: Sphinx, config: Any) -> None:
    if config.hoshin_navigation not in NAVIGATION_SCOPES:
        from sphinx.errors import ConfigError

        raise ConfigError(
            f"hoshin_navigation must be one of {', '.join(NAVIGATION_SCOPES)}, "
            f"not {config.hoshin_navigation!r}"
        )


def setup_navigation(app: Sphinx) -> None:
    app.connect("config-inited", _check_scope)
    app.connect("html-page-context", _page_context, priority=PAGE_CONTEXT_PRIORITY)
