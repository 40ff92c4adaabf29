"""Directives ``revision-history`` (改版履歴), ``revision-changes`` (改訂箇所) and
``revision-comparisons`` (the list of 新旧対照表 pages), made from ``revisions/``.

Tables are plain docutils nodes, so every builder (HTML, LaTeX) renders them; text from
YAML only ever becomes ``Text`` nodes, never markup. A frozen version's build shows the
history as it stood at that version: the versions up to it, the records leading to it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from hoshin.core.edition import PUBLIC, REVIEW, is_review
from hoshin.core.history import ChangeRecord, VersionInfo, version_id_name
from hoshin.core.project import Project
from hoshin.core.recordtext import paragraphs
from hoshin.core.warnings_ import WarningSubType, warn
from hoshin.revisions.links import NO_TERMS, make_site_link, revision_state, section_link
from hoshin.revisions.pdfpages import pdf_stamp
from hoshin.revisions.state import RevisionState, shinkyu_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

STATUS_TEXT = {"draft": "素案", "published": "公表"}
NO_TEXT = "－"  # the seed's table writes a missing old text as 「－」
#: The PDF sets tables of this class row by row (hoshin.pdf.tables): a record taller than a
#: page breaks between its paragraphs instead of losing its end.
BREAKABLE_ROWS = "hoshin-breakable-rows"
HISTORY_HEADERS = ("日付", "版", "素案", "改版の契機", "状態", "概要")
CHANGES_HEADERS = ("No.", "改版前ver.", "改版後ver.", "改版動機", "箇所", "改版前", "改版後",
                   "改版理由")  # fmt: skip
#: Relative widths: No. and versions narrow, the quotations widest.
CHANGES_WIDTHS = (4, 7, 7, 10, 14, 29, 29, 18)


def _cell(*content: nodes.Node | str) -> nodes.entry:
    entry = nodes.entry()
    para = nodes.paragraph()
    for item in content:
        para += nodes.Text(item) if isinstance(item, str) else item
    entry += para
    return entry


def _paragraphs_cell(text: str | None) -> nodes.entry:
    """A quoted text cell: one paragraph per paragraph of the record (``<p>`` parsed)."""
    entry = nodes.entry()
    for part in paragraphs(text) or [NO_TEXT]:
        entry += nodes.paragraph("", part)
    return entry


def build_table(
    headers: Sequence[str],
    rows: list[tuple[list[nodes.entry], list[str]]],
    widths: Sequence[int],
    classes: Sequence[str],
    title: str,
) -> nodes.table:
    """A docutils table; each row is (cells, ids)."""
    table = nodes.table(classes=["hoshin-revision-table", BREAKABLE_ROWS, *classes])
    table += nodes.title(title, title)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    row = nodes.row()
    for text in headers:
        row += _cell(text)
    head += row
    group += head
    body = nodes.tbody()
    for cells, ids in rows:
        tr = nodes.row(ids=ids)
        for cell in cells:
            tr += cell
        body += tr
    group += body
    return table


class _RevisionDirective(SphinxDirective):
    #: Whether the directive shows change records (so depends on every changes.yaml).
    reads_records = False
    option_spec: ClassVar = {"version": directives.unchanged, "class": directives.class_option,
                             "details": directives.flag}  # fmt: skip

    def state_or_none(self) -> tuple[RevisionState, list[str]] | None:
        """(state, versions shown) for this build; data problems are reported once per build
        by :mod:`hoshin.revisions.pages`, not here."""
        state = revision_state(self.env)
        paths = [state.data.history_path]
        if self.reads_records:
            paths += sorted(state.data.root.glob("revisions/*/changes.yaml"))
        for path in paths:
            if path.exists():
                self.env.note_dependency(str(path))
        chain = state.chain()
        wanted = self.options.get("version")
        if wanted:
            if wanted not in chain:
                warn(
                    logger,
                    WarningSubType.revision,
                    f"{self.name}: unknown version {wanted!r} (known here: {', '.join(chain)})",
                    location=(self.env.docname, self.lineno),
                )
                return None
            chain = chain[: chain.index(wanted) + 1]
        return state, chain


class RevisionHistoryDirective(_RevisionDirective):
    """改版履歴: one row per version up to this build's version (dates in 和暦)."""

    def run(self) -> list[nodes.Node]:
        found = self.state_or_none()
        if found is None:
            return []
        state, chain = found
        versions = [v for v in state.data.versions if v.id in chain]
        details = "details" in self.options
        rows = [
            (self._row(v, state, details), [f"version-{nodes.make_id(v.id) or 'v'}"])
            for v in versions
        ]
        headers = list(HISTORY_HEADERS) + (["新旧対照表"] if details else [])
        widths = [12, 8, 6, 18, 8, 40] + ([14] if details else [])
        table = build_table(
            headers,
            rows,
            widths,
            ["hoshin-revision-history", *self.options.get("class", [])],
            "改版履歴",
        )
        self.set_source_info(table)
        return [table]

    def _row(self, v: VersionInfo, state: RevisionState, details: bool) -> list[nodes.entry]:
        status = STATUS_TEXT.get(v.status, v.status) + ("（再構成）" if v.reconstructed else "")
        summary = _cell(v.summary)
        if details and v.note:
            summary += nodes.paragraph("", v.note, classes=["hoshin-revision-note"])
        cells = [
            _cell(v.date_text),
            _cell(v.edition or ""),
            _cell(v.id),
            _cell("、".join(v.events) or "記録なし"),
            _cell(status),
            summary,
        ]
        if details:
            previous = state.data.previous(v.id)
            if previous is None:
                cells.append(_cell("（最初の版）"))
            else:
                text = f"{previous} → {v.id}"
                cells.append(_cell(make_site_link(text, shinkyu_page(previous, v.id))))
        return cells


class RevisionChangesDirective(_RevisionDirective):
    """改訂箇所: the change records of the versions up to this build's version."""

    reads_records = True

    def run(self) -> list[nodes.Node]:
        found = self.state_or_none()
        if found is None:
            return []
        state, chain = found
        wanted = self.options.get("version")
        versions = [wanted] if wanted else chain
        records = [r for vid in versions for r in state.data.records_for(vid)]
        if not records:
            return [nodes.paragraph("", "この版までの改版記録はありません。")]
        rows = [
            (self._row(r, state), [f"change-{r.no}"]) for r in sorted(records, key=lambda r: r.no)
        ]
        table = build_table(
            CHANGES_HEADERS,
            rows,
            CHANGES_WIDTHS,
            ["hoshin-revision-changes", "colwidths-given", *self.options.get("class", [])],
            "改訂箇所",
        )
        self.set_source_info(table)
        return [table]

    def _row(self, r: ChangeRecord, state: RevisionState) -> list[nodes.entry]:
        where = nodes.paragraph()
        page = self._page(r, state)
        if not r.sections:
            where += nodes.Text(page)
        for i, label in enumerate(r.sections):
            if i:
                where += nodes.Text("、")
            title = section_title(state, label, (r.version, r.from_version))
            where += section_link(title, title, label=label, auto_title=True, classes=[NO_TERMS])
        if r.sections and page:
            where += nodes.Text(f"（{page}）")
        where_cell = nodes.entry()
        where_cell += where
        return [
            _cell(str(r.no)),
            _cell(version_id_name(r.from_version)),
            _cell(version_id_name(r.version)),
            _cell(r.motive),
            where_cell,
            _paragraphs_cell(r.old),
            _paragraphs_cell(r.new),
            _cell(r.reason_display),
        ]

    def _page(self, r: ChangeRecord, state: RevisionState) -> str:
        """The record's page, or where its section starts in its version's last PDF build
        (whose stamp is a dependency: a new PDF updates the table; until one exists the page
        is read again at every build)."""
        if r.page is not None:
            return r.page_display
        edition = REVIEW if is_review(self.config) else PUBLIC
        self.env.note_dependency(str(pdf_stamp(Project(state.root, edition), r.version)))
        return state.record_page(r, edition)


def section_title(state: RevisionState, label: str, versions: Sequence[str]) -> str:
    """The heading of a section as this build or the record's versions have it."""
    for vid in (state.version_id, *versions):
        try:
            section = state.document(vid).get(label)
        except OSError:
            continue
        if section is not None and section.title:
            return section.title
    return label


class RevisionComparisonsDirective(_RevisionDirective):
    """A list of links to the 新旧対照表 pages of consecutive versions (and the draft)."""

    def run(self) -> list[nodes.Node]:
        found = self.state_or_none()
        if found is None:
            return []
        state, chain = found
        items = nodes.bullet_list(classes=["hoshin-comparisons"])
        for old, new in itertools.pairwise(chain):
            para = nodes.paragraph()
            names = state.data.display_name
            text = f"新旧対照表：{names(old)} → {names(new)}"
            para += make_site_link(text, shinkyu_page(old, new))
            items += nodes.list_item("", para)
        return [items] if len(items) else []


class OneHistoryInPrint(SphinxPostTransform):
    """The PDF prints the 改版履歴 once: of several in the assembled document (the cover's
    and the appendix's), only the last is kept. The web pages keep each of theirs."""

    default_priority = 390  # before hoshin.pdf's table layout
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        tables = [t for t in self.document.findall(nodes.table)
                  if "hoshin-revision-history" in t["classes"]]  # fmt: skip
        for table in tables[:-1]:
            table.parent.remove(table)


def setup_revision_tables(app: Sphinx) -> None:
    app.add_post_transform(OneHistoryInPrint)
    app.add_directive("revision-history", RevisionHistoryDirective)
    app.add_directive("revision-changes", RevisionChangesDirective)
    app.add_directive("revision-comparisons", RevisionComparisonsDirective)
