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

import functools
import html
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hoshin.core.buildstate import PerBuild

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

#: Runs before furo's handler (priority 500), which calls ``context["toctree"]``.
PAGE_CONTEXT_PRIORITY = 400
#: Runs after furo's handler, to hand its template the tree made by :func:`furo_tree`.
FURO_CONTEXT_PRIORITY = 600


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


#: One :class:`TitlesOnlyTocs` per build environment (and per write process); a value that
#: held the environment itself would keep it alive.
_TITLES_ONLY: PerBuild[TitlesOnlyTocs] = PerBuild("titles-only tables of contents")


def _titles_only_env(builder: StandaloneHTMLBuilder) -> Any:
    env = builder.env
    tocs = _TITLES_ONLY.get(env)
    if tocs is None:
        tocs = _TITLES_ONLY.set(env, TitlesOnlyTocs(env.tocs, env.metadata))
    return _TitlesOnlyEnv(env, tocs)


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


_TAG = re.compile(r"<(/?)(li|ul|a)\b([^>]*)>")
_CLASS = re.compile(r'\bclass="([^"]*)"')
_FURO_ICON = '<span class="icon"><svg><use href="#svg-arrow-right"></use></svg></span>'
#: The arguments furo's ``_compute_navigation_tree`` passes to ``toctree()``.
FURO_TREE_CALL = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}


@functools.lru_cache(maxsize=64)  # pages outside every toctree share their folder's tree
def furo_tree(fragment: str) -> str:
    """What furo's ``get_navigation_tree`` makes of a rendered toctree, without an HTML parser.

    furo gives every ``<li>`` that holds a ``<ul>`` the class ``has-children`` and, after its
    link, a checkbox (checked on the path to the current page) and a label with an arrow: its
    CSS-only collapsible tree. The last ``current`` item also gets ``current-page``. furo does
    this with BeautifulSoup on every page (about 10 ms for a 40-page tree); Sphinx's output
    is regular enough to do it in one pass over the tags.
    """
    out: list[str] = []
    items: list[_Item] = []
    stack: list[_Item] = []
    position = count = 0
    for match in _TAG.finditer(fragment):
        out.append(fragment[position : match.start()])
        out.append(match[0])
        position = match.end()
        closing, tag, attrs = match.groups()
        if tag == "li" and not closing:
            found = _CLASS.search(attrs)
            item = _Item(len(out) - 1, found[1].split() if found else [])
            items.append(item)
            stack.append(item)
        elif tag == "li":
            if stack:
                stack.pop()
        elif tag == "a" and not closing and stack and stack[-1].link_open is None:
            stack[-1].link_open = len(out) - 1
        elif tag == "a" and closing and stack and stack[-1].link_close is None:
            stack[-1].link_close = len(out) - 1
        elif tag == "ul" and not closing and stack and not stack[-1].has_children:
            count += 1
            stack[-1].has_children = True
            stack[-1].number = count
    out.append(fragment[position:])
    current = [item for item in items if "current" in item.classes]
    for item in items:
        classes = list(item.classes)
        if item.has_children:
            classes.append("has-children")
            if item.link_open is not None and item.link_close is not None:
                text = html.unescape(
                    re.sub(r"<[^>]+>", "", "".join(out[item.link_open + 1 : item.link_close]))
                )
                name = f"toctree-checkbox-{item.number}"
                checked = ' checked=""' if "current" in item.classes else ""
                label = html.escape(f"Toggle navigation of {text}")
                out[item.link_close] += (
                    f'<input aria-label="{label}"{checked} class="toctree-checkbox" id="{name}" '
                    f'name="{name}" role="switch" type="checkbox"/>'
                    f'<label for="{name}">{_FURO_ICON}</label>'
                )
        if current and item is current[-1]:
            classes.append("current-page")
        if classes != item.classes:
            out[item.start] = _with_classes(out[item.start], classes)
    return "".join(out)


class _Item:
    """An ``<li>`` of :func:`furo_tree`: where its tags are in the output, what it holds."""

    __slots__ = ("classes", "has_children", "link_close", "link_open", "number", "start")

    def __init__(self, start: int, classes: list[str]) -> None:
        self.start = start
        self.classes = classes
        self.has_children = False
        self.number = 0
        self.link_open: int | None = None
        self.link_close: int | None = None


def _with_classes(tag: str, classes: list[str]) -> str:
    value = f'class="{" ".join(classes)}"'
    if _CLASS.search(tag):
        return _CLASS.sub(lambda _m: value, tag, count=1)
    return tag[:-1] + f" {value}>"


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
        if pagename in builder.env.all_docs:
            options = _options(kwargs)
            if options["collapse"] or options["maxdepth"] != -1 or builder.name != "html":
                return site_toctree(builder, pagename, **kwargs)
            # Unfolded and uncut (furo's call), a page's tree is its folder's tree with the
            # branch to the page marked current and its links made relative to itself:
            # resolved once per folder, marked per page (the string Sphinx makes; tested).
            # A cut tree can hide the page yet mark its branch: that one is Sphinx's.
            folder_page = posixpath.join(posixpath.dirname(pagename), _NO_PAGE)
            key = (folder_page, repr(sorted(kwargs.items())))
            cache = _outside_trees(builder)
            if key not in cache:
                cache[key] = site_toctree(builder, folder_page, **kwargs)
            return mark_current(cache[key], builder.get_relative_uri(folder_page, pagename))
        # A page that is no document (a term's back-link page, a 新旧対照表, the index) is in
        # no toctree, so nothing in the tree is "current": its tree differs from another such
        # page's only by the folder its links are relative to. Resolved once per folder.
        key = (posixpath.dirname(builder.get_target_uri(pagename)), repr(sorted(kwargs.items())))
        cache = _outside_trees(builder)
        if key not in cache:
            cache[key] = site_toctree(builder, pagename, **kwargs)
        return cache[key]

    return toctree


#: A page name no document has (its tree is a folder's tree with nothing current).
_NO_PAGE = "\x00hoshin-no-page"


def mark_current(fragment: str, href: str) -> str:
    """A folder's rendered tree as the page at ``href`` (relative to the folder) sees it.

    What Sphinx does to a tree it resolves for a page (``_toctree_add_classes`` and the
    relative links): the links to the page point to the page itself (``#`` or ``#anchor``);
    each link to the page without an anchor, and every list and list item around it, get
    the class ``current`` (once, however many such links they hold).
    """
    out: list[str] = []
    open_tags: list[int] = []
    marks: set[int] = set()
    position = 0
    for match in _TAG.finditer(fragment):
        out.append(fragment[position : match.start()])
        position = match.end()
        closing, tag, attrs = match.groups()
        if tag in ("li", "ul"):
            if closing:
                if open_tags:
                    open_tags.pop()
            else:
                open_tags.append(len(out))
            out.append(match[0])
            continue
        found = None if closing else _HREF.search(attrs)
        link = html.unescape(found[1]) if found else None
        if link is None or not (link == href or link.startswith(href + "#")):
            out.append(match[0])
            continue
        own = link[len(href) :] or "#"
        assert found is not None
        value = html.escape(own)
        out.append(f"<{tag}{attrs[: found.start(1)]}{value}{attrs[found.end(1) :]}>")
        if link == href:
            marks.update(open_tags)
            marks.add(len(out) - 1)
    out.append(fragment[position:])
    for index in marks:
        out[index] = _add_current(out[index])
    return "".join(out)


_HREF = re.compile(r'\bhref="([^"]*)"')


def _add_current(tag: str) -> str:
    """``current`` added to a tag's classes: after an item's or a list's own, before the
    ``reference`` classes the HTML writer gives a link."""
    found = _CLASS.search(tag)
    if found is None:
        return tag[:-1] + ' class="current">'
    classes = found[1].split()
    if "current" in classes:
        return tag
    if tag.startswith("<a") and "reference" in classes:
        classes.insert(classes.index("reference"), "current")
    else:
        classes.append("current")
    return tag[: found.start(1)] + " ".join(classes) + tag[found.end(1) :]


def _outside_trees(builder: StandaloneHTMLBuilder) -> dict[tuple[str, str], str]:
    """The trees of pages outside every toctree, per folder, of the current build."""
    cache: dict[tuple[str, str], str] | None = builder.__dict__.get("_hoshin_outside_trees")
    if cache is None:
        cache = builder.__dict__["_hoshin_outside_trees"] = {}
    return cache


def _forget_outside_trees(app: Sphinx, env: BuildEnvironment) -> None:
    """Every build starts without trees: what was read may have changed titles or toctrees."""
    app.builder.__dict__.pop("_hoshin_outside_trees", None)


class _FuroSidebar:
    """Serves furo's own ``toctree()`` call an empty tree and keeps the decorated one.

    furo would run BeautifulSoup over the tree on every page; :func:`furo_tree` makes the
    same markup directly, and :func:`_furo_context` puts it where furo's template reads it.
    """

    def __init__(self, toctree: Callable[..., str]) -> None:
        self.toctree = toctree
        self.tree: str | None = None

    def __call__(self, **kwargs: Any) -> str:
        if kwargs == FURO_TREE_CALL and self.tree is None:
            self.tree = furo_tree(self.toctree(**kwargs))
            return ""
        return self.toctree(**kwargs)


def _uses_furo(app: Sphinx) -> bool:
    theme = getattr(app.builder, "theme", None)
    while theme is not None:
        if getattr(theme, "name", None) == "furo":
            return True
        theme = getattr(theme, "base", None)
    return app.config.html_theme == "furo"


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if "toctree" not in context or not hasattr(app.builder, "render_partial"):
        return
    toctree = page_toctree(app.builder, pagename, app.config.hoshin_navigation)  # type: ignore[arg-type]
    context["toctree"] = _FuroSidebar(toctree) if _uses_furo(app) else toctree


def _furo_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    sidebar = context.get("toctree")
    if isinstance(sidebar, _FuroSidebar) and sidebar.tree is not None:
        context["furo_navigation_tree"] = sidebar.tree


def _relations_changed(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose parent, previous or next page (or one of their titles) changed.

    Each page links its neighbours by title; Sphinx writes again only the pages it read, so a
    page added, removed or retitled left stale links on the pages around it.
    """

    def titled(doc: str | None) -> tuple[str, str] | None:
        return None if doc is None else (doc, env.titles[doc].astext() if doc in env.titles else "")

    now = {doc: tuple(titled(d) for d in rel[:3]) for doc, rel in env.collect_relations().items()}
    before: dict[str, Any] = getattr(env, "hoshin_relations", {})
    env.hoshin_relations = now  # type: ignore[attr-defined]
    return sorted(doc for doc, rel in now.items() if before.get(doc) != rel and doc in env.all_docs)


def setup_navigation(app: Sphinx) -> None:
    app.connect("env-get-updated", _relations_changed)
    app.connect("env-updated", _forget_outside_trees)
    app.connect("html-page-context", _page_context, priority=PAGE_CONTEXT_PRIORITY)
    app.connect("html-page-context", _furo_context, priority=FURO_CONTEXT_PRIORITY)
