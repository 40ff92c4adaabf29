"""The 用語集 page: ``glossary-index`` renders every entry in 五十音 order, grouped by 行.

Each entry is a Sphinx glossary term (anchor ``term-<id>``; aliases registered too, so
``{term}`` roles keep working) with its definition, paraphrase, aliases, note and source as
text, never markup. "この用語が出てくる箇所" is filled in at ``doctree-resolved`` from the uses
every document recorded while it was read, so the page need not be re-read when they change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.domains.std import make_glossary_term
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from hoshin.core.edition import is_review
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


def fill_backlinks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each ``glossary_backlinks`` with links to the pages that use the term.

    Runs at ``doctree-resolved``: uses are known for every page only after reading.
    """
    placeholders = list(doctree.findall(glossary_backlinks))
    if not placeholders:
        return
    env = app.env
    dom = glossary_domain(env)
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
