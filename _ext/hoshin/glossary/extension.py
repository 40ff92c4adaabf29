"""The glossary in Sphinx: term links with tooltips, selective re-reading, warnings.

- The 用語集 page is :mod:`hoshin.glossary.page`; the per-build state and the domain that
  records term uses are :mod:`hoshin.glossary.domain`.
- :class:`TermLinker` links the first occurrence of each term per page (never in headings,
  captions, code, links or another term) with a generic cross-reference, so every builder
  makes a link; for HTML, the post-transform :class:`TermTooltips` (``formats = ("html",)``)
  turns it into a link plus a ``role=tooltip`` definition (see ``static/hoshin-terms.css`` and ``.js``).
- Incremental builds: each document records the ids it links and each entry's content hash;
  ``env-get-outdated`` re-reads only documents whose terms changed, and documents whose source
  contains a spelling that is new since the last build. Glossary files are therefore not
  dependencies of every page (editing one entry of ``ka.yaml`` does not re-read every page
  that uses some か行 term); they are dependencies of the page holding the index.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Set
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from hoshin.core.config import PARAPHRASE_TERMS_EVENT, project_root
from hoshin.core.warnings_ import WarningSubType, warn
from hoshin.core.yamlio import DataError
from hoshin.glossary.domain import (
    DOMAIN,
    USE_ANCHOR,
    GlossaryDomain,
    GlossaryState,
    glossary_domain,
)
from hoshin.glossary.latex import KeepXkanjiskip
from hoshin.glossary.model import GlossaryEntry, normal_form, read_glossary
from hoshin.glossary.page import (
    WRITTEN_BACKLINKS,
    GlossaryIndexDirective,
    backlinks_shown,
    fill_backlinks,
    glossary_backlinks,
    glossary_index,
)
from hoshin.glossary.terms import Hit, TermMatcher

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Ancestors inside which a term is never linked.
_NO_LINK = (
    nodes.title,
    nodes.subtitle,
    nodes.rubric,
    nodes.caption,
    nodes.literal,
    nodes.literal_block,
    nodes.doctest_block,
    nodes.math,
    nodes.math_block,
    nodes.raw,
    nodes.reference,
    nodes.target,
    nodes.comment,
    nodes.substitution_definition,
    nodes.term,
    nodes.field_name,
    nodes.option_string,
    nodes.abbreviation,
    nodes.image,
    addnodes.pending_xref,
    addnodes.toctree,
    addnodes.glossary,
    addnodes.desc_signature,
)
_NO_LINK_CLASSES = frozenset(
    {"sd-card-title", "sd-card-header", "hoshin-figure-caption", "hoshin-no-terms"}
)


class term_link(nodes.General, nodes.Inline, nodes.Element):
    """HTML only: a term link followed by its tooltip."""


# --- linking terms ----------------------------------------------------------------------


class TermLinker(SphinxTransform):
    """Link the first occurrence of each glossary term on a page, and record the uses."""

    default_priority = 870  # before doctree-read (880), so collectors see the links

    def apply(self, **kwargs: Any) -> None:
        dom = glossary_domain(self.env)
        state = dom.state
        if not self.config.hoshin_term_links:
            return
        if next(iter(self.document.findall(glossary_index)), None) is not None:
            return
        docname = self.env.docname
        candidates = [n for n in self.document.findall(_text_or_xref)
                      if isinstance(n, addnodes.pending_xref) or not _skipped(n)]  # fmt: skip
        # What a spelling added later must be looked for in (see ``_outdated``).
        dom.texts[docname] = "\n".join(n.astext() for n in candidates if isinstance(n, nodes.Text))
        if state is None or not state.matcher:
            return
        uses: dict[str, list[str]] = {}
        for node in candidates:
            if isinstance(node, addnodes.pending_xref):
                tid = state.by_spelling.get(normal_form(node.get("reftarget", "")))
                if tid and node.get("refdomain") == "std" and node.get("reftype") == "term":
                    uses.setdefault(tid, [state.hashes[tid], ""])
                continue
            self._link(node, state, uses, docname)
        if uses:
            dom.uses[docname] = uses

    def _link(
        self, text: nodes.Text, state: GlossaryState, uses: dict[str, list[str]], docname: str
    ) -> None:
        source = text.astext()
        fresh: list[Hit] = []
        for hit in state.matcher.find(source):
            if hit.key not in uses and all(hit.key != f.key for f in fresh):
                fresh.append(hit)
        if not fresh:
            return
        parts: list[nodes.Node] = []
        pos = 0
        for hit in fresh:
            if hit.start > pos:
                parts.append(nodes.Text(source[pos : hit.start]))
            anchor = USE_ANCHOR.format(hit.key)
            parts.append(nodes.target("", "", ids=[anchor]))
            xref = addnodes.pending_xref(
                "",
                refdomain=DOMAIN,
                reftype="term",
                reftarget=hit.key,
                refexplicit=True,
                refwarn=False,
                refdoc=docname,
            )
            xref += nodes.inline(hit.surface, hit.surface, classes=["hoshin-term"])
            parts.append(xref)
            uses[hit.key] = [state.hashes[hit.key], anchor]
            pos = hit.end
        if pos < len(source):
            parts.append(nodes.Text(source[pos:]))
        text.parent.replace(text, parts)


def _text_or_xref(node: nodes.Node) -> bool:
    return isinstance(node, (nodes.Text, addnodes.pending_xref))


def _skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _NO_LINK) or _NO_LINK_CLASSES.intersection(parent.get("classes", ())):
            return True
        parent = parent.parent
    return False


class TermTooltips(SphinxPostTransform):
    """HTML only: resolved term links (automatic or ``{term}``) become link + tooltip."""

    default_priority = 400  # after the references are resolved (ReferencesResolver: 10)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        add_tooltips(self.env, self.document, self.env.docname)


def add_tooltips(env: BuildEnvironment, doctree: nodes.document, docname: str) -> None:
    """Turn the resolved term links of an HTML page into link + tooltip."""
    dom = glossary_domain(env)
    glossary_doc = dom.glossary_doc()
    if dom.state is None or glossary_doc is None or docname == glossary_doc:
        return
    entries = dom.state.entries
    anchors = _glossary_anchors(env, glossary_doc, entries.values())
    seen: dict[str, int] = {}
    for ref in list(doctree.findall(nodes.reference)):
        if "refuri" not in ref:
            continue
        tid = ref.get("hoshin_term") or _explicit_term(ref, anchors)
        entry = entries.get(tid or "")
        if entry is None:
            continue
        seen[entry.id] = seen.get(entry.id, 0) + 1
        suffix = "" if seen[entry.id] == 1 else f"-{seen[entry.id]}"
        link = term_link(
            refuri=ref["refuri"],
            tipid=f"hoshin-tip-{entry.id}{suffix}",
            tip=entry.definition,
            classes=["hoshin-term"],
        )
        previous = _previous_sibling(ref)
        if (
            isinstance(previous, nodes.target)
            and not previous.children
            and previous["ids"] == [USE_ANCHOR.format(entry.id)]
        ):
            link["ids"] = previous["ids"]
            previous.parent.remove(previous)
        for child in ref.children:
            link.extend(child.children if isinstance(child, nodes.inline) else [child])
        ref.replace_self(link)


def _glossary_anchors(
    env: BuildEnvironment, glossary_doc: str, entries: Iterable[GlossaryEntry]
) -> dict[str, str]:
    """Anchor → entry id of the entries whose term (the standard domain says) is on the
    glossary page: where an explicit ``{term}`` link to an entry points."""
    objects = env.domains.standard_domain.objects
    on_page = {labelid for (kind, _), (doc, labelid) in objects.items()
               if kind == "term" and doc == glossary_doc}  # fmt: skip
    return {e.anchor: e.id for e in entries if e.anchor in on_page}


def _explicit_term(ref: nodes.reference, anchors: dict[str, str]) -> str | None:
    """The entry an explicit ``{term}`` link (resolved: an internal link to another page's
    ``#term-<id>``) leads to."""
    page, _, fragment = ref["refuri"].rpartition("#")
    if not ref.get("internal") or not page:
        return None
    return anchors.get(fragment)


def _previous_sibling(node: nodes.Element) -> nodes.Node | None:
    parent = node.parent
    if parent is None:
        return None
    index = parent.index(node)
    return parent[index - 1] if index else None


def visit_term_link_html(self: Any, node: term_link) -> None:
    self.body.append('<span class="hoshin-term-wrap">')
    self.body.append(
        self.starttag(
            node,
            "a",
            "",
            href=node["refuri"],
            CLASS="reference internal",
            **{"aria-describedby": node["tipid"]},
        )
    )


def depart_term_link_html(self: Any, node: term_link) -> None:
    self.body.append("</a>")
    self.body.append(
        f'<span class="hoshin-tip" id="{html.escape(node["tipid"])}" role="tooltip" '
        f"hidden>{html.escape(node['tip'])}</span></span>"
    )


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


# --- events -----------------------------------------------------------------------------


def _load(app: Sphinx) -> None:
    """Load the glossary once per build; report bad entries (they are left out).

    A project without a glossary folder has no glossary: nothing is linked or checked.
    """
    directory = project_root(app) / app.config.hoshin_glossary_dir
    if not directory.is_dir():
        glossary_domain(app.env).state = None
        return
    data = read_glossary(directory)
    for error in data.errors:
        warn(logger, WarningSubType.term, error.message, location=f"{error.path}:{error.line}")
    glossary_domain(app.env).state = GlossaryState.load(data)


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Documents to re-read because a term they use changed, or a new spelling appears."""
    dom = glossary_domain(env)
    state = dom.state
    if state is None:
        dom.data["spellings"] = {}  # a glossary made later is new in every spelling
        return []
    out: set[str] = set()
    for docname, used in dom.uses.items():
        if any(state.hashes.get(tid) != recorded[0] for tid, recorded in used.items()):
            out.add(docname)
    spellings = state.spellings
    previous = dom.data.get("spellings")
    if previous is not None:
        fresh = [s for s, tid in spellings.items() if previous.get(s) != tid]
        if fresh:
            out.update(_documents_containing(env, fresh, exclude=out | added | changed))
    if dom.data.get("fingerprint") not in (None, state.fingerprint()):
        out.update(dom.index_docs)
    dom.data["spellings"] = dict(spellings)
    dom.data["fingerprint"] = state.fingerprint()
    return sorted(d for d in out if d in env.found_docs)


def _documents_containing(
    env: BuildEnvironment, spellings: Iterable[str], exclude: Set[str]
) -> set[str]:
    matcher = TermMatcher((s, s) for s in spellings)
    texts = glossary_domain(env).texts
    found = set()
    for docname in env.found_docs - exclude:
        text = texts.get(docname)
        if text is None:  # read before this record existed: its source is the best guess
            try:
                text = env.doc2path(docname).read_text(encoding="utf-8")
            except OSError:
                continue
        if matcher.find(text):
            found.add(docname)
    return found


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    glossary_domain(env).read_any = bool(docnames)


def _updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Rewrite the glossary page when a page was read and the back-links it shows may have
    changed: always for print, for the web when the pages using some term are not those
    of the page as last written (it says how many and links the term's back-link page)."""
    dom = glossary_domain(env)
    if not dom.read_any:
        return []
    if app.builder.format == "html" and dom.data.get(WRITTEN_BACKLINKS) == backlinks_shown(env):
        return []
    return sorted(dom.index_docs)


def _check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    state = glossary_domain(app.env).state
    if state is None or not app.config.hoshin_term_check:
        return
    for finding in state.checker.check_text_kept(source[0]):
        warn(
            logger,
            WarningSubType.unexplained_term,
            f"unexplained term '{finding.word}' (column {finding.col}): {finding.suggestion}",
            location=(docname, finding.line),
        )


def _paraphrase_terms(app: Sphinx) -> list[GlossaryEntry]:
    """The glossary's entries for the lint feature's prh rules (invalid files are left out;
    the build and ``hoshin check`` report them)."""
    folder = project_root(app) / app.config.hoshin_glossary_dir
    try:
        return list(read_glossary(folder).entries) if folder.is_dir() else []
    except DataError:
        return []


def setup_glossary(app: Sphinx) -> None:
    app.add_domain(GlossaryDomain)
    skip = (_skip, None)
    app.add_node(glossary_index, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_node(glossary_backlinks, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_node(term_link, html=(visit_term_link_html, depart_term_link_html))
    app.add_directive("glossary-index", GlossaryIndexDirective)
    app.add_transform(TermLinker)
    app.connect("builder-inited", _load)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-before-read-docs", _before_read)
    app.connect("env-get-updated", _updated)
    app.connect("source-read", _check_source)
    app.connect("doctree-resolved", fill_backlinks)
    app.connect(PARAPHRASE_TERMS_EVENT, _paraphrase_terms)
    app.add_post_transform(KeepXkanjiskip)
    app.add_post_transform(TermTooltips)
    app.add_css_file("hoshin-terms.css")
    app.add_js_file("hoshin-terms.js", loading_method="defer")
