"""PDF edition through Sphinx's LaTeX builder (upLaTeX): settings, cover, structure, tables.

hoshin fills ``latex_documents`` and ``latex_elements`` from the project's configuration
(values the user sets in ``conf.py`` win), ships ``hoshin.sty`` (fonts embedded, cover,
running heads, PDF metadata) and arranges the assembled document: the glossary becomes an
appendix, every further captioned toctree of the root document (the 有識者会議資料) a
``\\part``, the colophon the last page. Tables become ``longtable`` (they break across pages
with their header repeated) with column widths from their content, so long Japanese text
wraps inside its cell and short columns stay readable.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import os
import time
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .config import project_root, read_config
from .latextext import escape
from .pdfbuild import PDF_LINKS_ENV
from .revisions import CURRENT, load_revisions
from .wareki import to_wareki

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

    def preamble(self) -> str:
        """``\\newcommand`` lines for ``hoshin.sty``, every value escaped."""
        return "".join(
            f"\\newcommand{{\\hoshin{name}}}{{{escape(getattr(self, name))}}}\n"
            for name in ("title", "issuer", "version", "edition", "date", "status")
        )


def cover_facts(config: Config, root: Path) -> CoverFacts:
    """Cover text of the version this build represents (``hoshin_version_id``).

    A frozen version shows its edition, id and date (和暦) from history.yaml; the working
    draft says so and is dated by the build (``SOURCE_DATE_EPOCH``). Drafts get 素案.
    """
    hc = read_config(config)
    version = hc.version_id
    info = load_revisions(root, check_labels=False).get(version) if version != CURRENT else None
    if info is not None:
        edition = "　".join(x for x in (info.edition, info.id) if x)
        date = info.date_text if info.date else ""
        is_draft = info.is_draft
    else:
        edition = config.release or ("作業中の原稿" if version == CURRENT else version)
        date = f"{_build_date_wareki()}現在" if version == CURRENT else ""
        is_draft = True
    return CoverFacts(
        title=config.project,
        issuer=hc.issuer or config.author,
        version=version,
        edition=edition,
        date=date,
        status=DRAFT_MARK if is_draft else "",
    )


def _build_date_wareki() -> str:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    day = time.gmtime(epoch)
    return to_wareki(datetime.date(day.tm_year, day.tm_mon, day.tm_mday))


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
    hc = read_config(app.config)
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
    appendices = [top.pop(d) for d in hc.pdf_appendices if d in top]
    backmatter = [top.pop(d) for d in hc.pdf_backmatter if d in top]
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


def display_width(text: str) -> int:
    """Width in half-width cells: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class LongTables(SphinxPostTransform):
    """Every table breaks across pages (header repeated); columns sized by their content."""

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for table in self.document.findall(nodes.table):
            if "longtable" not in table["classes"]:
                table["classes"].append("longtable")
            if "colwidths-given" in table["classes"]:
                continue
            for tgroup in table.findall(nodes.tgroup):
                widths = column_weights(tgroup)
                if widths:
                    for colspec, width in zip(tgroup.findall(nodes.colspec), widths, strict=False):
                        colspec["colwidth"] = width
                    table["classes"].append("colwidths-given")


#: Text width of the PDF's body in half-width cells (A4, 11 pt, Sphinx's margins), and the
#: padding of one column in cells.
LINE_CELLS = 82
COLUMN_PADDING = 2
#: A column narrower than this wraps even short words: never squeeze below it.
MIN_COLUMN = 10


def column_weights(tgroup: nodes.tgroup) -> list[int]:
    """Relative column widths, laid out like a browser's automatic table layout.

    Columns whose widest cell fits keep that width; the rest of the line is shared by the
    columns with long text in proportion to their length; those wrap inside their cells.
    """
    count = int(tgroup.get("cols", 0))
    widest = [0] * count
    for row in tgroup.findall(nodes.row):
        col = 0
        for entry in row.children:
            span = int(entry.get("morecols", 0)) + 1
            if span == 1 and col < count:
                widest[col] = max(widest[col], display_width(entry.astext()))
            col += span
    return share_line([max(w, MIN_COLUMN) + COLUMN_PADDING for w in widest], LINE_CELLS)


def share_line(natural: list[int], line: int) -> list[int]:
    """Narrow columns get their natural width; wide ones share the rest in proportion."""
    if not natural or sum(natural) <= line:
        return natural
    weights = [0] * len(natural)
    open_cols = set(range(len(natural)))
    remaining = line
    while open_cols:
        share = remaining / len(open_cols)
        narrow = {i for i in open_cols if natural[i] <= share}
        if not narrow:
            total = sum(natural[i] for i in open_cols)
            for i in open_cols:
                weights[i] = max(round(remaining * natural[i] / total), MIN_COLUMN)
            break
        for i in narrow:
            weights[i] = natural[i]
            remaining -= natural[i]
        open_cols -= narrow
    return weights


#: Site folder of the PDFs (``_build/html/pdf/``, a copy of ``_build/pdf/``).
SITE_PDF_DIR = "pdf"


def _pdf_links_default(config: Config) -> bool:
    return os.environ.get(PDF_LINKS_ENV) == "1"


def pdf_links_html(app: Sphinx, pagename: str, context: dict[str, Any]) -> str:
    """The print-edition links of a page: this version's PDF, and on a 新旧対照表 page its PDF."""
    from .pdfbuild import shinkyu_pdf_name, version_pdf_name
    from .revision_sphinx import site_prefix

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
    app.add_config_value("hoshin_pdf_links", _pdf_links_default, "html", types=frozenset({bool}))
    app.connect("html-page-context", _page_links, priority=400)
    app.connect("config-inited", _configure_latex, priority=900)
    app.connect("doctree-resolved", _arrange)
    app.add_post_transform(LongTables)
