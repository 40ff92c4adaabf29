"""The glossary in Sphinx: the 用語集 page, term links with tooltips, unexplained-term warnings.

- ``glossary-index`` renders every entry of ``glossary/*.yaml`` in 五十音 order, grouped by
  行 with a jump bar; anchors are ``term-<id>``; entries are also Sphinx ``term`` targets, so
  explicit ``{term}`` roles keep working. "この用語が出てくる箇所" is filled in late
  (``doctree-resolved``) from what every document recorded while it was read.
- :class:`TermLinker` links the first occurrence of each term per page (never in headings,
  captions, code, links or another term) with a generic cross-reference, so every builder
  makes a link; for HTML, :func:`add_tooltips` turns it into a link plus a ``role=tooltip``
  definition (see ``static/hoshin-terms.css`` and ``.js``).
- Incremental builds: each document records the ids it links and each entry's content hash;
  ``env-get-outdated`` re-reads only documents whose terms changed, and documents whose source
  contains a spelling that is new since the last build. Glossary files are therefore not
  dependencies of every page (editing one entry of ``ka.yaml`` does not re-read every page
  that uses some か行 term); they are dependencies of the page holding the index.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
from collections.abc import Iterable, Iterator, Set
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain
from sphinx.domains.std import make_glossary_term
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from .config import project_root
from .glossary import GlossaryData, GlossaryEntry, normal_form, read_glossary
from .reading import ROWS
from .term_check import TermChecker
from .terms import Hit, TermMatcher
from .warnings_ import WarningSubType, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

DOMAIN = "hoshin_glossary"
USE_ANCHOR = "hoshin-use-{}"
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


class glossary_index(nodes.General, nodes.Element):
    """Invisible marker of the page that holds the glossary (its text is not linked)."""


class glossary_backlinks(nodes.General, nodes.Element):
    """Placeholder for "この用語が出てくる箇所", filled in at write time."""


class term_link(nodes.General, nodes.Inline, nodes.Element):
    """HTML only: a term link followed by its tooltip."""


@dataclasses.dataclass
class GlossaryState:
    """The glossary loaded for this build (per process; never pickled)."""

    data: GlossaryData
    matcher: TermMatcher
    checker: TermChecker
    hashes: dict[str, str]
    spellings: dict[str, str]
    by_spelling: dict[str, str]

    @classmethod
    def load(cls, data: GlossaryData) -> GlossaryState:
        pairs = [(s, e.id) for e in data.entries for s in e.surfaces()]
        return cls(
            data=data,
            matcher=TermMatcher(pairs),
            checker=TermChecker(data),
            hashes={e.id: e.content_hash() for e in data.entries},
            spellings=dict(pairs),
            by_spelling={normal_form(s): tid for s, tid in pairs},
        )

    @property
    def entries(self) -> dict[str, GlossaryEntry]:
        return self.data.by_id()

    def fingerprint(self) -> str:
        blob = "\n".join(f"{k}={v}" for k, v in sorted(self.hashes.items()))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


class GlossaryDomain(Domain):
    """Per-document term uses and the page(s) holding the glossary index.

    ``data["uses"][docname][term_id] = [content_hash, anchor]`` (anchor empty for explicit
    roles); ``data["index_docs"][docname] = True``; ``data["spellings"]`` and
    ``data["fingerprint"]`` describe the glossary of the last build (main process only).
    """

    name = DOMAIN
    label = "hoshin glossary"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {
        "uses": {},
        "index_docs": {},
        "spellings": None,
        "fingerprint": None,
    }
    state: GlossaryState | None = None
    read_any = False

    @property
    def uses(self) -> dict[str, dict[str, list[str]]]:
        return self.data.setdefault("uses", {})

    @property
    def index_docs(self) -> dict[str, bool]:
        return self.data.setdefault("index_docs", {})

    def glossary_doc(self) -> str | None:
        return min(self.index_docs) if self.index_docs else None

    def clear_doc(self, docname: str) -> None:
        self.uses.pop(docname, None)
        self.index_docs.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata.get("uses", {}):
                self.uses[docname] = otherdata["uses"][docname]
            if docname in otherdata.get("index_docs", {}):
                self.index_docs[docname] = True

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        todoc = self.glossary_doc()
        if typ != "term" or todoc is None or self.state is None or target not in self.state.hashes:
            return None
        ref = make_refnode(builder, fromdocname, todoc, f"term-{target}", contnode)
        ref["hoshin_term"] = target
        return ref

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[tuple[str, nodes.reference]]:
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        return iter(())


def _domain(env: BuildEnvironment) -> GlossaryDomain:
    return env.domains[DOMAIN]  # type: ignore[return-value]


# --- the 用語集 page --------------------------------------------------------------------


class GlossaryIndexDirective(SphinxDirective):
    """``glossary-index``: every entry, in 五十音 order, grouped by 行, with a jump bar."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        dom = _domain(self.env)
        state = dom.state
        if state is None:
            folder = self.config.hoshin_glossary_dir
            warn(logger, WarningSubType.term,
                 f"glossary-index: there is no glossary folder '{folder}' next to conf.py",
                 location=(self.env.docname, self.lineno))  # fmt: skip
            return []
        for path in state.data.files:
            if path.name != "allowlist.yaml":
                self.env.note_dependency(str(path))
        dom.index_docs[self.env.docname] = True
        groups: dict[str, list[GlossaryEntry]] = {}
        for entry in state.data.entries:
            groups.setdefault(entry.row[0], []).append(entry)
        result: list[nodes.Node] = [glossary_index(), self._jump_bar(groups)]
        for slug, label, _kana in (*ROWS, ("other", "その他", "")):
            if slug in groups:
                result.append(self._group(slug, label, groups[slug]))
        return result

    def _jump_bar(self, groups: dict[str, list[GlossaryEntry]]) -> nodes.Element:
        bar = nodes.paragraph(classes=["hoshin-gyo-nav"])
        for i, (slug, label, _kana) in enumerate(ROWS):
            if i:
                bar += nodes.Text(" ")
            if slug in groups:
                bar += nodes.reference("", label, refid=f"gyo-{slug}", internal=True)
            else:
                bar += nodes.inline("", label, classes=["hoshin-gyo-empty"])
        return bar

    def _group(self, slug: str, label: str, entries: list[GlossaryEntry]) -> nodes.section:
        section = nodes.section(ids=[f"gyo-{slug}"], classes=["hoshin-gyo"])
        section += nodes.title("", label)
        glossary = addnodes.glossary(sorted=False)
        dl = nodes.definition_list(classes=["glossary", "hoshin-glossary"])
        glossary += dl
        for entry in entries:
            dl += self._entry(entry, label[0])
        section += glossary
        return section

    def _entry(self, entry: GlossaryEntry, index_key: str) -> nodes.definition_list_item:
        item = nodes.definition_list_item()
        term = make_glossary_term(
            self.env,
            [nodes.Text(entry.term)],
            index_key,
            self.env.doc2path(self.env.docname).as_posix(),
            self.lineno,
            entry.anchor,
            self.state.document,
        )
        std = self.env.domains.standard_domain
        for alias in entry.aliases:
            std._note_term(alias, entry.anchor, location=term)
        term += nodes.inline("", f"（{entry.reading}）", classes=["hoshin-reading"])
        item += term
        definition = nodes.definition()
        definition += nodes.paragraph("", entry.definition)
        if entry.paraphrase:
            definition += nodes.paragraph(
                "", f"言い換え：{entry.paraphrase}", classes=["hoshin-paraphrase"]
            )
        if entry.aliases:
            definition += nodes.paragraph(
                "", "別の書き方：" + "、".join(entry.aliases), classes=["hoshin-aliases"]
            )
        if entry.note:
            definition += nodes.paragraph("", f"補足：{entry.note}", classes=["hoshin-note"])
        definition += nodes.paragraph(
            "", f"種類：{entry.kind}　説明の出典：{entry.source}", classes=["hoshin-source"]
        )
        definition += glossary_backlinks(term_id=entry.id)
        item += definition
        return item


def fill_backlinks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each ``glossary_backlinks`` with links to the pages that use the term.

    Runs at ``doctree-resolved``: uses are known for every page only after reading.
    """
    placeholders = list(doctree.findall(glossary_backlinks))
    if not placeholders:
        return
    env = app.env
    dom = _domain(env)
    order = _document_order(env)
    for placeholder in placeholders:
        tid = placeholder["term_id"]
        users = sorted(
            (d for d, used in dom.uses.items() if tid in used),
            key=lambda d: (order.get(d, len(order)), d),
        )
        para = nodes.paragraph(classes=["hoshin-backlinks"])
        para += nodes.Text("この用語が出てくる箇所：")
        if not users:
            para += nodes.Text("本文にはありません")
        for i, user in enumerate(users):
            if i:
                para += nodes.Text("、")
            title = env.titles.get(user)
            text = title.astext() if title else user
            anchor = dom.uses[user][tid][1] or None
            para += make_refnode(app.builder, docname, user, anchor, nodes.Text(text))
        placeholder.replace_self(para)


def _document_order(env: BuildEnvironment) -> dict[str, int]:
    """Position of each document in reading order (toctree depth-first from the root)."""
    order: dict[str, int] = {}
    stack = [env.config.root_doc]
    while stack:
        doc = stack.pop()
        if doc in order:
            continue
        order[doc] = len(order)
        stack.extend(reversed(env.toctree_includes.get(doc, [])))
    return order


# --- linking terms ----------------------------------------------------------------------


class TermLinker(SphinxTransform):
    """Link the first occurrence of each glossary term on a page, and record the uses."""

    default_priority = 870  # before doctree-read (880), so collectors see the links

    def apply(self, **kwargs: Any) -> None:
        dom = _domain(self.env)
        state = dom.state
        if state is None or not state.matcher or not self.config.hoshin_term_links:
            return
        if next(iter(self.document.findall(glossary_index)), None) is not None:
            return
        docname = self.env.docname
        uses: dict[str, list[str]] = {}
        for node in list(self.document.findall(_text_or_xref)):
            if isinstance(node, addnodes.pending_xref):
                tid = state.by_spelling.get(normal_form(node.get("reftarget", "")))
                if tid and node.get("refdomain") == "std" and node.get("reftype") == "term":
                    uses.setdefault(tid, [state.hashes[tid], ""])
                continue
            if _skipped(node):
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


def add_tooltips(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """HTML: turn resolved term links (automatic or ``{term}``) into link + tooltip."""
    if app.builder.format != "html":
        return
    dom = _domain(app.env)
    glossary_doc = dom.glossary_doc()
    if dom.state is None or glossary_doc is None or docname == glossary_doc:
        return
    entries = dom.state.entries
    glossary_uri = app.builder.get_relative_uri(docname, glossary_doc)
    seen: dict[str, int] = {}
    for ref in list(doctree.findall(nodes.reference)):
        if "refuri" not in ref:
            continue
        tid = ref.get("hoshin_term") or _explicit_term(ref["refuri"], glossary_uri)
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


def _explicit_term(refuri: str, glossary_uri: str) -> str | None:
    page, _, fragment = refuri.partition("#")
    if page == glossary_uri and fragment.startswith("term-"):
        return fragment[len("term-") :]
    return None


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
        _domain(app.env).state = None
        return
    data = read_glossary(directory)
    for error in data.errors:
        warn(logger, WarningSubType.term, error.message, location=f"{error.path}:{error.line}")
    _domain(app.env).state = GlossaryState.load(data)


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Documents to re-read because a term they use changed, or a new spelling appears."""
    dom = _domain(env)
    state = dom.state
    if state is None:
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
    found = set()
    for docname in env.found_docs - exclude:
        try:
            text = env.doc2path(docname).read_text(encoding="utf-8")
        except OSError:
            continue
        if matcher.find(text):
            found.add(docname)
    return found


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _domain(env).read_any = bool(docnames)


def _updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Rewrite the glossary page whenever any page was read (its back-links may change)."""
    dom = _domain(env)
    return sorted(dom.index_docs) if dom.read_any else []


def _check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    state = _domain(app.env).state
    if state is None or not app.config.hoshin_term_check:
        return
    for finding in state.checker.check_text(source[0]):
        warn(
            logger,
            WarningSubType.unexplained_term,
            f"unexplained term '{finding.word}' (column {finding.col}): {finding.suggestion}",
            location=(docname, finding.line),
        )


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
    app.connect("doctree-resolved", add_tooltips)
    app.add_css_file("hoshin-terms.css")
    app.add_js_file("hoshin-terms.js", loading_method="defer")
