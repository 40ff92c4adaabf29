"""PDF edition through Sphinx's LaTeX builder (upLaTeX): settings, cover, structure, tables.

hoshin fills ``latex_documents`` and ``latex_elements`` from the project's configuration
(values the user sets in ``conf.py`` win), ships ``hoshin.sty`` (fonts embedded, cover,
running heads, PDF metadata) and arranges the assembled document: the glossary becomes an
appendix, every further captioned toctree of the root document (the 有識者会議資料) a
``\\part``, the colophon the last page. Tables are laid out by :mod:`hoshin.pdf.tables`.
"""

from __future__ import annotations

import dataclasses
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from hoshin.core.builddate import draft_day, draft_epoch
from hoshin.core.config import project_root, read_config
from hoshin.core.edition import REVIEW_MARK, is_review
from hoshin.core.history import CURRENT, load_revisions, version_id_name
from hoshin.core.latextext import escape
from hoshin.core.manifest import MANIFEST, manifest_digest
from hoshin.core.sitemap import (
    SITE_PDF_DIR,
    shinkyu_pdf_name,
    site_prefix,
    version_pdf_name,
)
from hoshin.core.wareki import to_wareki
from hoshin.pdf.landscape import setup_landscape
from hoshin.pdf.lists import OwnMarkerListsLatex
from hoshin.pdf.tables import LongTables

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

LATEX_DIR = Path(__file__).parent / "latex"
DRAFT_MARK = "素案"


@dataclasses.dataclass(frozen=True)
class CoverFacts:
    """What the cover and the PDF metadata say about this version (plain text)."""

    title: str
    issuer: str
    version: str
    edition: str
    date: str
    status: str
    #: SHA-256 of a frozen version's manifest (its identity), printed in small type on the
    #: last page so a published copy can be compared later; "" for the working draft.
    digest: str = ""

    def preamble(self) -> str:
        """``\\newcommand`` lines for ``hoshin.sty``, every value escaped."""
        return "".join(
            f"\\newcommand{{\\hoshin{name}}}{{{escape(getattr(self, name))}}}\n"
            for name in ("title", "issuer", "version", "edition", "date", "status", "digest")
        )


def cover_facts(config: Config, root: Path) -> CoverFacts:
    """Cover text of the version this build represents (``hoshin_version_id``).

    A frozen version shows its edition, id and date (和暦) from history.yaml; the working
    draft says so and is dated by :func:`hoshin.core.builddate.draft_epoch`. Drafts get 素案.
    """
    hc = read_config(config)
    version = hc.version_id
    info = load_revisions(root, check_labels=False).get(version) if version != CURRENT else None
    digest = ""
    if info is not None:
        edition = "　".join(x for x in (info.edition, info.id) if x)
        date = info.date_text if info.date else ""
        is_draft = info.is_draft
        if (root / "revisions" / version / MANIFEST).is_file():
            digest = manifest_digest(root / "revisions" / version)
    else:
        edition = config.release or version_id_name(version)
        date = f"{_draft_date_wareki(config, root)}現在" if version == CURRENT else ""
        is_draft = True
    return CoverFacts(
        title=config.project,
        issuer=hc.issuer or config.author,
        version=version,
        edition=edition,
        date=date,
        status=_status(DRAFT_MARK if is_draft else "", is_review(config)),
        digest=digest,
    )


def _status(status: str, review: bool) -> str:
    """The cover box and running head: 素案, and 審議用 on every PDF of the review edition."""
    if not review:
        return status
    return f"{status}・{REVIEW_MARK}" if status else REVIEW_MARK


def _draft_date_wareki(config: Config, root: Path) -> str:
    """The working draft's date (one rule: :func:`hoshin.core.builddate.draft_epoch`)."""
    return to_wareki(draft_day(draft_epoch(root, config.hoshin_draft_date)))


def _configure_latex(app: Sphinx, config: Config) -> None:
    hc = read_config(config)
    facts = cover_facts(config, project_root(app))
    target = f"{hc.project_slug}.tex"
    default_docs = config.latex_documents
    if len(default_docs) == 1 and default_docs[0][0] == config.root_doc:
        config.latex_documents = [
            (config.root_doc, target, escape(facts.title), escape(facts.issuer), "manual")
        ]
    elements: dict[str, Any] = {
        "papersize": "a4paper",
        "pointsize": "11pt",
        "extraclassoptions": "openany,oneside",
        "maketitle": r"\hoshinmaketitle",
        "makeindex": "",
        "printindex": "",
        "fncychap": "",
        # Figures float, so that text flows on past a drawing the rest of a page cannot
        # hold (a figure kept in place left the page before it nearly empty); hoshin.sty's
        # float fractions let a tall drawing share a page with a few lines of text.
        "figure_align": "htbp",
        # Dark titles and links: the PDF is printed, often in black and white.
        "sphinxsetup": "TitleColor={rgb}{0.05,0.12,0.3}, InnerLinkColor={rgb}{0.05,0.2,0.5}, "
        "OuterLinkColor={rgb}{0.05,0.2,0.5}",
        "preamble": facts.preamble() + "\\usepackage{hoshin}\n",
    }
    config.latex_elements = {**elements, **config.latex_elements}
    sty = str(LATEX_DIR / "hoshin.sty")
    if sty not in config.latex_additional_files:
        config.latex_additional_files = [*config.latex_additional_files, sty]
    config.latex_domain_indices = False


def _raw(latex: str) -> nodes.raw:
    return nodes.raw("", latex + "\n", format="latex")


def _arrange(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Appendices, parts and back matter in the one assembled tree of the PDF."""
    if app.builder.format != "latex" or docname != app.config.root_doc:
        return
    top = {
        sof["docname"]: sof
        for sof in doctree.findall(addnodes.start_of_file)
        if not _inside_start_of_file(sof)
    }
    toctrees = list(app.env.get_doctree(docname).findall(addnodes.toctree))
    if not toctrees or not top:
        return
    first = next((top[d] for d in toctrees[0]["includefiles"] if d in top), None)
    body_parent = first.parent if first is not None else None
    appendices = [top.pop(d) for d in app.config.hoshin_pdf_appendices if d in top]
    backmatter = [top.pop(d) for d in app.config.hoshin_pdf_backmatter if d in top]
    for sof in (*appendices, *backmatter):
        sof.parent.remove(sof)
    for toctree in toctrees[1:]:
        caption = toctree.get("caption")
        head = next((top[d] for d in toctree["includefiles"] if d in top), None)
        if caption and head is not None:
            head.parent.insert(head.parent.index(head), _raw(rf"\hoshinpart{{{escape(caption)}}}"))
    if appendices and body_parent is not None:
        body_parent += [_raw(r"\appendix"), *appendices]
    if backmatter:
        root_section = next(iter(doctree.findall(nodes.section)), doctree)
        root_section += [_raw(r"\hoshinbackmatter"), *backmatter]


def _inside_start_of_file(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.start_of_file):
            return True
        parent = parent.parent
    return False


def pdf_links_html(app: Sphinx, pagename: str, context: dict[str, Any]) -> str:
    """The print-edition links of a page: this version's PDF, and on a 新旧対照表 page its PDF."""
    hc = read_config(app.config)
    base = site_prefix(app, pagename) + SITE_PDF_DIR + "/"
    links = [(version_pdf_name(hc.project_slug, hc.version_id), "この版の PDF（A4・印刷用）")]
    pair = context.get("hoshin_shinkyu")
    if isinstance(pair, tuple | list) and len(pair) == 2:
        name = shinkyu_pdf_name(hc.project_slug, str(pair[0]), str(pair[1]))
        links.insert(0, (name, "この新旧対照表の PDF（A4 横・印刷用）"))
    items = "".join(
        f'<li><a href="{html.escape(base + name)}" type="application/pdf">'
        f"{html.escape(label)}</a></li>"
        for name, label in links
    )
    return f'<aside class="hoshin-pdf-links" aria-label="印刷用 PDF"><ul>{items}</ul></aside>'


def _page_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.format != "html" or "body" not in context or not app.config.hoshin_pdf_links:
        return
    context["body"] += pdf_links_html(app, pagename, context)


def setup_pdf(app: Sphinx) -> None:
    app.connect("html-page-context", _page_links, priority=400)
    app.connect("config-inited", _configure_latex, priority=900)
    app.connect("doctree-resolved", _arrange)
    app.add_post_transform(LongTables)
    app.add_post_transform(OwnMarkerListsLatex)
    setup_landscape(app)
