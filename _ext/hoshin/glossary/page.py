"""The 用語集 page: ``glossary-index`` renders every entry in 五十音 order, grouped by 行.

Each entry is a Sphinx glossary term (anchor ``term-<id>``; aliases registered too, so
``{term}`` roles keep working) with its definition, paraphrase, aliases, note and source as
text, never markup. "この用語が出てくる箇所" is filled in at ``doctree-resolved`` from the uses
every document recorded while it was read, so the page need not be re-read when they change.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.domains.std import make_glossary_term
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from hoshin.core.edition import is_review
from hoshin.core.extrapages import render_alike, setup_extra_pages, unchanged
from hoshin.core.warnings_ import WarningSubType, warn
from hoshin.glossary.domain import glossary_domain
from hoshin.glossary.model import GlossaryEntry
from hoshin.glossary.reading import ROWS

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


#: What the web edition says about its term links (the medium's sentence, not the policy's).
WEB_TERM_HELP = (
    "本文では、各ページで最初に出てくる箇所がこの用語集へのリンクになっていて、言葉の上にマウスを"
    "置くか、キーボードで選ぶか、画面を軽く押すと説明が表示されます。"
)


class glossary_index(nodes.General, nodes.Element):
    """Invisible marker of the page that holds the glossary (its text is not linked)."""


class glossary_backlinks(nodes.General, nodes.Element):
    """Placeholder for "この用語が出てくる箇所", filled in at write time."""


class GlossaryIndexDirective(SphinxDirective):
    """``glossary-index``: every entry, in 五十音 order, grouped by 行, with a jump bar."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        dom = glossary_domain(self.env)
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
        result: list[nodes.Node] = [glossary_index(), *self._web_help(), self._jump_bar(groups)]
        for slug, label, _kana in (*ROWS, ("other", "その他", "")):
            if slug in groups:
                result.append(self._group(slug, label, groups[slug]))
        return result

    def _web_help(self) -> list[nodes.Node]:
        """How the term links behave, said by the web medium only (never policy text, so
        never in a PDF nor in a 新旧対照表): an ``only`` node that non-HTML builders drop."""
        if not self.config.hoshin_term_links:
            return []
        only = addnodes.only(expr="html")
        only += nodes.paragraph("", WEB_TERM_HELP, classes=["hoshin-term-help"])
        return [only]

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
        if entry.supplement:
            definition += nodes.paragraph(
                "", f"補足：{entry.supplement}", classes=["hoshin-supplement"]
            )
        if entry.note and is_review(self.config):  # editors' notes: review edition only
            definition += nodes.paragraph(
                "", f"編集メモ：{entry.note}", classes=["hoshin-note", "hoshin-review-only"]
            )
        definition += nodes.paragraph(
            "",
            f"種類：{entry.kind}　説明の出典：{entry.source}",
            classes=["hoshin-source", "no-search"],  # bookkeeping: not in the site search
        )
        definition += glossary_backlinks(term_id=entry.id)
        item += definition
        return item


#: Where each term's back-link page lives, next to the 用語集 page.
USES_PAGE = "{glossary}-uses/{term_id}"


def uses_page(glossary_doc: str, term_id: str) -> str:
    """Page name of the list of the places where ``term_id`` is used."""
    return USES_PAGE.format(glossary=glossary_doc, term_id=term_id)


def _users(env: BuildEnvironment, term_id: str, order: dict[str, int]) -> list[str]:
    dom = glossary_domain(env)
    return sorted(
        (d for d, used in dom.uses.items() if term_id in used),
        key=lambda d: (order.get(d, len(order)), d),
    )


#: Domain data: :func:`backlinks_shown` as the web 用語集 on disk shows it (set when written).
WRITTEN_BACKLINKS = "written_backlinks"


def backlinks_shown(env: BuildEnvironment) -> dict[str, list[str]]:
    """What the web 用語集 shows of the other pages: the pages using each used term, and
    for a term used on one page only, that page's title and the anchor it links to."""
    uses = glossary_domain(env).uses
    shown: dict[str, list[str]] = {}
    for doc, used in uses.items():
        for tid in used:
            shown.setdefault(tid, []).append(doc)
    for tid, docs in shown.items():
        docs.sort()
        if len(docs) == 1:  # linked directly: its title and anchor are shown too
            docs += ["", _title(env, docs[0]), uses[docs[0]][tid][1] or ""]
    return dict(sorted(shown.items()))


def fill_backlinks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each ``glossary_backlinks`` with where the term is used: on the web, the
    one page that uses it (a link to its first use), or how many pages do and a link to the
    term's own back-link page (:func:`collect_uses_pages`); in print, every place.

    The web 用語集 keeps one short line per entry however many documents a shelf holds: the
    lists themselves are on the back-link pages. Runs at ``doctree-resolved``: uses are
    known for every page only after reading.
    """
    placeholders = list(doctree.findall(glossary_backlinks))
    if not placeholders:
        return
    env = app.env
    order = _document_order(env)
    html = app.builder.format == "html"
    for placeholder in placeholders:
        tid = placeholder["term_id"]
        users = _users(env, tid, order)
        para = nodes.paragraph(classes=["hoshin-backlinks"])
        para += nodes.Text("この用語が出てくる箇所：")
        if not users:
            para += nodes.Text("本文にはありません")
        elif html and len(users) > 1:
            uri = app.builder.get_relative_uri(docname, uses_page(docname, tid))
            para += nodes.reference("", f"{len(users)} ページ", refuri=uri, internal=True)
        else:  # print, and a term used on one page: the places themselves
            for i, user in enumerate(users):
                if i:
                    para += nodes.Text("、")
                anchor = glossary_domain(env).uses[user][tid][1] or None
                para += make_refnode(
                    app.builder, docname, user, anchor, nodes.Text(_title(env, user))
                )
        placeholder.replace_self(para)
    if html:
        # Recorded as the page is written (in the main process; a parallel write's worker
        # records nothing, so the page is written again), so it describes the page on disk.
        glossary_domain(env).data[WRITTEN_BACKLINKS] = backlinks_shown(env)


def collect_uses_pages(app: Sphinx) -> Iterable[tuple[str, dict[str, Any], str]]:
    """One page per used term: the pages where it is used, grouped by the part of the site
    (the root's toctree entry) they belong to, each linking to the place of the first use."""
    if app.builder.format != "html":
        return
    env = app.env
    dom = glossary_domain(env)
    glossary_doc = dom.glossary_doc()
    if dom.state is None or glossary_doc is None:
        return
    order = _document_order(env)
    part_of = _parts(env)
    made = set()
    due: list[tuple[str, dict[str, Any]]] = []
    for entry in dom.state.data.entries:
        users = _users(env, entry.id, order)
        if len(users) < 2:  # a term used on one page links that page from the 用語集
            continue
        pagename = uses_page(glossary_doc, entry.id)
        made.add(pagename)
        back = app.builder.get_relative_uri(pagename, glossary_doc) + "#" + entry.anchor
        title = f"「{entry.term}」が出てくる箇所"
        body = [
            f'<section id="uses"><h1>{escape(title)}</h1>',
            f'<p><a href="{escape(back)}">用語集の「{escape(entry.term)}」に戻る</a></p>',
        ]
        current_part = None
        for user in users:
            part = part_of.get(user, user)
            if part != current_part:
                if current_part is not None:
                    body.append("</ul>")
                body.append(f"<h2>{escape(_title(env, part))}</h2><ul>")
                current_part = part
            anchor = dom.uses[user][entry.id][1]
            uri = app.builder.get_relative_uri(pagename, user) + (f"#{anchor}" if anchor else "")
            body.append(f'<li><a href="{escape(uri)}">{escape(_title(env, user))}</a></li>')
        body.append("</ul></section>")
        context = {"title": title, "body": "\n".join(body), "meta": {}, "metatags": "",
                   "sourcename": "", "hoshin_no_search": True}  # fmt: skip
        if not unchanged(app, pagename, context, "page.html"):
            due.append((pagename, context))
    # pages alike but for their title and list: most are written without the theme's template
    yield from render_alike(app, due, "page.html")
    # A term no page uses any more (or removed) keeps no back-link page from an earlier build.
    folder = Path(app.outdir, uses_page(glossary_doc, "x")).parent
    suffix = str(getattr(app.builder, "out_suffix", ".html"))
    for stale in sorted(folder.glob(f"*{suffix}")) if folder.is_dir() else []:
        if uses_page(glossary_doc, stale.name[: -len(suffix)]) not in made:
            stale.unlink()


def _title(env: BuildEnvironment, docname: str) -> str:
    title = env.titles.get(docname)
    return title.astext() if title else docname


def _parts(env: BuildEnvironment) -> dict[str, str]:
    """Each document → the root's toctree entry it lies under (itself for those entries)."""
    parts: dict[str, str] = {}
    for top in env.toctree_includes.get(env.config.root_doc, []):
        stack = [top]
        while stack:
            doc = stack.pop()
            if doc in parts:
                continue
            parts[doc] = top
            stack.extend(env.toctree_includes.get(doc, []))
    return parts


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


def setup_uses_pages(app: Sphinx) -> None:
    setup_extra_pages(app)  # back-link pages whose inputs did not change are not written again
    app.connect("html-collect-pages", collect_uses_pages)
