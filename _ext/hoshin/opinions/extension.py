"""Sphinx glue of the opinions: the ``{opinion-table}`` directive and what it feeds.

- ``{opinion-table} <event id>`` puts the published result 「意見の概要と市の考え方」 of one
  event on a page: what was asked and when, the counts by disposition, and the table (one
  row per opinion, each with an anchor). Generic docutils tables, so the PDF has them too.
- On the web the table is followed by its Excel and Word files (written at the end of the
  build next to the page, from the same rows).
- A domain remembers which page shows which event (purged and merged per document), so
  that the 新旧対照表 pages of the revisions feature can link each 改版理由 to the opinions
  behind it: they ask through the core event ``hoshin-record-links``, answered here.
- In the review edition, each section that opinions concern gets a note under its heading
  listing them with their dispositions, linked to their rows.

Nothing private is loaded (see :mod:`hoshin.opinions.model`), so nothing private is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.domains import Domain
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from hoshin.core.builddate import draft_epoch
from hoshin.core.buildstate import PerBuild, project_root_of
from hoshin.core.config import RECORD_LINKS_EVENT, project_root
from hoshin.core.digest import InputDigest
from hoshin.core.edition import REVIEW_MARK, is_review
from hoshin.core.extrapages import file_unchanged, setup_extra_pages
from hoshin.core.history import ChangeRecord
from hoshin.core.outcache import build_cache
from hoshin.core.sitemap import SITE_PDF_DIR, opinions_pdf_name, pdf_list_script, site_prefix
from hoshin.core.warnings_ import WarningSubType, warn
from hoshin.opinions.join import opinions_of_record
from hoshin.opinions.model import Opinion, OpinionData, event_files, load_opinions
from hoshin.opinions.office_files import office_key, write_office_pair
from hoshin.opinions.render import (
    NO_OPINIONS,
    ResultTable,
    counts_sentence,
    event_facts,
    record_links_html,
    result_table,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Where the office files of the tables go in the HTML output.
DOWNLOAD_DIR = "_opinions"
#: This build's opinions and the (name, mtime, size) of the files they were loaded from.
_DATA: PerBuild[tuple[tuple[tuple[str, int, int], ...], OpinionData]] = PerBuild("opinions")
HTML_BUILDERS = frozenset({"html", "dirhtml", "singlehtml", "readthedocs"})


def opinion_data(env: BuildEnvironment) -> OpinionData:
    """This build's opinions with conf.py's categories, loaded again whenever a file changed
    (a Sphinx kept in memory between builds, as ``hoshin serve`` does, never shows stale data)."""
    root = project_root_of(env)
    key = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in event_files(root))
    cached = _DATA.get(env)
    if cached is None or cached[0] != key:
        data = load_opinions(root, env.config.hoshin_opinion_dispositions,
                             env.config.hoshin_opinion_reflected)  # fmt: skip
        cached = _DATA.set(env, (key, data))
    return cached[1]


class downloads(nodes.General, nodes.Element):
    """Where the links to an event's .xlsx/.docx go (HTML only; removed elsewhere)."""


class opinion_ref(nodes.Inline, nodes.TextElement):
    """A link to an opinion's row, resolved once every page is read (``event``, ``anchor``)."""


class OpinionsDomain(Domain):
    """Which document shows which event's table (for links from other pages)."""

    name = "hoshin-opinions"
    label = "意見"
    initial_data: ClassVar[dict[str, Any]] = {"tables": {}}  # event id -> docname

    @property
    def tables(self) -> dict[str, str]:
        return self.data.setdefault("tables", {})  # type: ignore[no-any-return]

    def clear_doc(self, docname: str) -> None:
        for event, doc in list(self.tables.items()):
            if doc == docname:
                del self.tables[event]

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        wanted = set(docnames)
        for event, doc in otherdata.get("tables", {}).items():
            if doc in wanted:
                self.tables[event] = doc

    def resolve_any_xref(self, *args: Any) -> list[Any]:
        return []


def _table_node(
    headers: tuple[str, ...],
    rows: Iterable[tuple[str, ...]],
    widths: tuple[int, ...],
    caption: str = "",
    ids: Iterable[str] | None = None,
    classes: tuple[str, ...] = (),
) -> nodes.table:
    table = nodes.table(classes=["hoshin-opinions-table", *classes])
    if caption:
        table += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row(headers)
    body = nodes.tbody()
    group += body
    row_ids = list(ids) if ids is not None else []
    for i, cells in enumerate(rows):
        row = _row(cells)
        if i < len(row_ids):
            row["ids"].append(row_ids[i])
        body += row
    return table


def _row(cells: Iterable[str]) -> nodes.row:
    row = nodes.row()
    for text in cells:
        entry = nodes.entry()
        for k, line in enumerate(str(text).split("\n")):
            entry += nodes.paragraph(line, line) if line or k == 0 else nodes.paragraph()
        row += entry
    return row


class OpinionTableDirective(SphinxDirective):
    """``{opinion-table} <event id>``: the published result table of one event."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        event_id = self.arguments[0].strip()
        data = opinion_data(self.env)
        for path in event_files(project_root_of(self.env)):
            self.env.note_dependency(str(path))
        event = data.event(event_id)
        if event is None:
            known = "、".join(e.id for e in data.events) or "なし"
            warn(
                logger,
                WarningSubType.data,
                f"opinion-table: unknown event {event_id!r} (revisions/opinions/{event_id}.yaml "
                f"does not exist or is invalid; known: {known})",
                location=self.get_location(),
            )
            return []
        domain = self.env.get_domain(OpinionsDomain.name)
        domain.tables[event_id] = self.env.docname  # type: ignore[attr-defined]
        review = is_review(self.config)
        table = result_table(event, data, review=review)
        box = nodes.container(classes=["hoshin-opinions"], ids=[f"opinions-{event_id}"])
        facts = event_facts(event)
        if facts:
            field_list = nodes.field_list(classes=["hoshin-opinions-facts"])
            for name, text in facts:
                body = nodes.field_body("", nodes.paragraph(text, text))
                field_list += nodes.field("", nodes.field_name(name, name), body)
            box += field_list
        if not event.opinions:
            box += nodes.paragraph(NO_OPINIONS, NO_OPINIONS)
            return [box]
        box += nodes.paragraph(
            counts_sentence(table), counts_sentence(table), classes=["hoshin-opinions-count"]
        )
        count_rows = [(name, f"{n}件") for name, n in table.counts]
        count_rows.append(("合計", f"{table.total}件"))
        box += _table_node(
            ("対応区分", "件数"),
            count_rows,
            (3, 1),
            caption=f"対応区分ごとの件数（{event.name}）",
            classes=("hoshin-opinions-counts",),
        )
        box += _table_node(
            table.headers,
            table.rows,
            table.widths,
            caption=table.title,
            ids=table.anchors,
            classes=("hoshin-opinions-main",),
        )
        box += downloads(event=event_id)
        return [box]


def _uri(app: Sphinx, fromdoc: str, todoc: str, anchor: str = "") -> str:
    target = app.builder.get_target_uri(todoc)
    uri = relative_uri(app.builder.get_target_uri(fromdoc), target) if todoc != fromdoc else ""
    return uri + (f"#{anchor}" if anchor else "")


def _download_links(app: Sphinx, docname: str, event: str) -> list[tuple[str, str]]:
    """(label, URL) of the table's files: its PDF when ``hoshin build --pdf`` made the print
    editions (``hoshin_pdf_links``), its .xlsx/.docx unless ``hoshin_opinion_office`` is off."""
    links = []
    if getattr(app.config, "hoshin_pdf_links", False):
        name = opinions_pdf_name(app.config.hoshin_project_slug, event)
        links.append(("PDF（A4・印刷用）", f"{site_prefix(app, docname)}{SITE_PDF_DIR}/{name}"))
    if app.config.hoshin_opinion_office:
        base = relative_uri(app.builder.get_target_uri(docname), "")
        links += [(label, f"{base}{DOWNLOAD_DIR}/{event}{suffix}")
                  for suffix, label in ((".xlsx", "Excel（.xlsx）"), (".docx", "Word（.docx）"))]  # fmt: skip
    return links


def _search_page_pdfs(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """The search page also lists each event's 意見と対応 PDF (``hoshin build --pdf``)."""
    if templatename != "search.html" or not getattr(app.config, "hoshin_pdf_links", False):
        return
    base = f"{site_prefix(app, pagename)}{SITE_PDF_DIR}/"
    slug = app.config.hoshin_project_slug
    items = [
        {
            "label": f"{event.name}の意見と対応の PDF（A4・印刷用）",
            "href": base + opinions_pdf_name(slug, event.id),
        }
        for event in opinion_data(app.env).events
        if event.opinions
    ]
    if items:
        app.add_js_file(None, body=pdf_list_script(items))


def _resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain = app.env.get_domain(OpinionsDomain.name)
    tables: dict[str, str] = domain.tables  # type: ignore[attr-defined]
    html = app.builder.name in HTML_BUILDERS
    for node in list(doctree.findall(downloads)):
        links = _download_links(app, docname, node["event"]) if html else []
        if not links:
            node.parent.remove(node)
            continue
        para = nodes.paragraph(classes=["hoshin-opinions-downloads"])
        para += nodes.Text("この表のファイル：")
        for k, (label, uri) in enumerate(links):
            if k:
                para += nodes.Text("、")
            para += nodes.reference(label, label, refuri=uri, classes=["hoshin-download"])
        node.replace_self(para)
    for node in list(doctree.findall(opinion_ref)):
        text = node.astext()
        target = tables.get(node["event"])
        if target is None or not html:
            node.replace_self(nodes.Text(text))
            continue
        node.replace_self(
            nodes.reference(
                text, text, internal=True, refuri=_uri(app, docname, target, node["anchor"])
            )
        )


# --- review edition: the opinions concerning each section -----------------------------------
def _section_notes(app: Sphinx, doctree: nodes.document) -> None:
    if not is_review(app.config):
        return
    data = opinion_data(app.env)
    by_label: dict[str, list[Opinion]] = {}
    for opinion in data.all_opinions():
        for label in opinion.sections:
            by_label.setdefault(label, []).append(opinion)
    if not by_label:
        return
    for section in doctree.findall(nodes.section):
        found = [o for i in section["ids"] for o in by_label.get(i, [])]
        if not found:
            continue
        para = nodes.paragraph(classes=["hoshin-opinion-note"])
        para += nodes.Text("この節への意見：")
        for k, opinion in enumerate(found):
            event = data.event(opinion.event)
            if k:
                para += nodes.Text("、")
            label = f"{event.name if event else opinion.event} No.{opinion.id}"
            para += opinion_ref(label, label, event=opinion.event, anchor=opinion.anchor)
            para += nodes.Text(f"（{opinion.disposition or '未回答'}）")
        title = next(iter(section.findall(nodes.title)), None)
        index = section.index(title) + 1 if title is not None and title.parent is section else 0
        section.insert(index, para)


def _digest(app: Sphinx) -> str:
    root = project_root(app)
    return InputDigest().add_files(event_files(root), root).hexdigest()


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """In the review edition every page may carry notes: re-read all when the opinions change."""
    digest = _digest(app)
    before = getattr(env, "hoshin_opinions_digest", None)
    env.hoshin_opinions_digest = digest  # type: ignore[attr-defined]
    if is_review(app.config) and before is not None and before != digest:
        return sorted(env.found_docs)
    return []


# --- 新旧対照表: the opinions behind each reason ------------------------------------------------
def _record_links(app: Sphinx, record: ChangeRecord, uri: Callable[[str, str], str]) -> str:
    data = opinion_data(app.env)
    found = opinions_of_record(data, record)
    if not found:
        return ""
    tables: dict[str, str] = app.env.get_domain(OpinionsDomain.name).tables  # type: ignore[attr-defined]

    def uri_of(opinion: Opinion) -> str | None:
        doc = tables.get(opinion.event)
        return uri(doc, opinion.anchor) if doc is not None else None

    return record_links_html(found, data, uri_of)


# --- data errors and office files -----------------------------------------------------------
def _report(app: Sphinx) -> None:
    for error in opinion_data(app.env).errors:
        warn(logger, WarningSubType.data, error.message, location=f"{error.path}:{error.line}")


def _write_office(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    if not app.config.hoshin_opinion_office:
        return
    data = opinion_data(app.env)
    tables: dict[str, str] = app.env.get_domain(OpinionsDomain.name).tables  # type: ignore[attr-defined]
    root = project_root(app)
    review = is_review(app.config)
    when = datetime.datetime.fromtimestamp(
        draft_epoch(root, str(getattr(app.config, "hoshin_draft_date", "") or "")), tz=datetime.UTC
    )
    facts = (
        str(app.config.project),
        str(app.config.hoshin_issuer or app.config.author),
        when,
        REVIEW_MARK if review else "",
    )
    folder = Path(app.outdir) / DOWNLOAD_DIR
    # a clean build copies the files an earlier build made from the same table and facts
    cache = build_cache(Path(app.outdir), Path(app.doctreedir)) / "downloads"
    for event_id in sorted(tables):
        event = data.event(event_id)
        if event is None or not event.opinions:
            continue
        table: ResultTable = result_table(event, data, review=review)
        xlsx, docx = folder / f"{event_id}.xlsx", folder / f"{event_id}.docx"
        # written again only when the table, the facts or the writer changed (each save in
        # hoshin serve would otherwise write every event's files)
        key = office_key(table, facts)
        if file_unchanged(app, (xlsx, docx), key):
            continue
        write_office_pair(table, xlsx, docx, facts, cache, key)


STATIC_DIR = Path(__file__).parent / "static"


def _add_static_path(app: Sphinx, config: Any) -> None:
    if str(STATIC_DIR) not in config.html_static_path:
        config.html_static_path.append(str(STATIC_DIR))


def _page_css(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The opinions' stylesheet on the pages that show an opinion table, note or link only
    (the search page and most chapters stay lighter)."""
    if "hoshin-opinion" in str(context.get("body", "")):
        app.add_css_file("hoshin-opinions.css")


def setup_opinions(app: Sphinx) -> None:
    setup_extra_pages(app)  # the record of the office files written
    app.connect("config-inited", _add_static_path)
    app.connect("html-page-context", _page_css)
    app.connect("html-page-context", _search_page_pdfs)
    app.add_node(downloads)
    app.add_node(opinion_ref)
    app.add_domain(OpinionsDomain)
    app.add_directive("opinion-table", OpinionTableDirective)
    app.connect("builder-inited", _report)
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-read", _section_notes)
    app.connect("doctree-resolved", _resolve)
    app.connect(RECORD_LINKS_EVENT, _record_links)
    app.connect("build-finished", _write_office)
