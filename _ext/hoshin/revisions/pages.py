"""新旧対照表 pages, "この節は … で改訂されました" notes and revision warnings in the build.

- The working draft's build adds one page per consecutive pair of versions (and last frozen
  → draft) under ``shinkyu/`` through ``html-collect-pages``: Sphinx renders them with the
  theme's ``page.html`` like its own index pages, so they carry the site's navigation,
  search and look without any generated file in ``source/``.
- Every version's build inserts, right under the heading of each section that changed, a
  note naming the newest version that revised it, linked to the row of its 新旧対照表.
- The working draft's build reports (at ``env-updated``, so every build, even one that reads
  nothing new) the join's findings (unexplained changes, stale
  records, quote mismatches) as warnings with the file and line of the text or the record.
  A record with ``acknowledged`` turns its findings into information, so a known quirk of
  the source (the seed's table disagrees with its own text in places) does not fail
  ``--strict``; findings of the working draft against the last frozen version follow
  ``hoshin_draft_findings``.
- Which documents must be re-read is decided in ``env-get-outdated``: those whose notes
  changed, or all of them when the revision data changed (the version switcher and the
  tables depend on it).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

from hoshin import __version__
from hoshin.core.buildstate import PerBuild
from hoshin.core.config import RECORD_LINKS_EVENT
from hoshin.core.digest import InputDigest
from hoshin.core.edition import is_review
from hoshin.core.frozen import verify_all
from hoshin.core.history import CURRENT, display_path, version_id_name
from hoshin.core.manifest import MANIFEST, text_listing
from hoshin.core.warnings_ import WarningSubType, warn
from hoshin.revisions.compare import JoinFinding
from hoshin.revisions.links import HTML_BUILDERS, make_site_link, revision_state, site_uri
from hoshin.revisions.shinkyu_html import page_title, render_shinkyu_body
from hoshin.revisions.state import SHINKYU_DIR, RevisedNote, row_anchor, shinkyu_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

STATE_FILE = "hoshin-revisions.json"
#: What this build writes to :data:`STATE_FILE` when it succeeds (found at env-get-outdated).
_TO_SAVE: PerBuild[dict[str, Any]] = PerBuild("revision notes to save")


def note_text(note: RevisedNote, name: Callable[[str], str] = str) -> tuple[str, str]:
    """(sentence, link text) of a revised-section note; ``name`` gives a version's name."""
    if note.new == CURRENT:
        return (f"この節は作業中の原稿で改訂されています（「{name(note.old)}」との",
                "新旧対照表")  # fmt: skip
    return f"この節は「{name(note.new)}」で改訂されました（", "新旧対照表"


# --- which documents to re-read --------------------------------------------------------------
def _data_digest(app: Sphinx) -> str:
    """What every page depends on outside source/: the versions (switcher, banner) and the
    frozen texts (notes). Change records only reach the pages whose directives read them
    (declared with ``note_dependency``), so editing one re-reads those pages alone; a records
    file appearing or disappearing changes this digest (no dependency can announce it)."""
    state = revision_state(app.env)
    digest = InputDigest().add_text("hoshin", __version__)
    digest.add_file(state.data.history_path, "history")
    revisions = state.root / "revisions"
    for path in sorted(revisions.glob(f"*/{MANIFEST}")):
        # the frozen texts only: a version's records are in its manifest too, but they reach
        # only the pages whose directives read them (their own dependency)
        digest.add(path.relative_to(state.root).as_posix(), text_listing(path))
    for path in sorted(revisions.glob("*/changes.yaml")):
        digest.add(path.relative_to(state.root).as_posix(), b"")
    return digest.hexdigest()


def _notes_map(app: Sphinx) -> dict[str, list[list[Any]]]:
    state = revision_state(app.env)
    if not state.enabled:
        return {}
    return {doc: [[n.label, n.old, n.new, n.row] for n in notes]
            for doc, notes in state.notes_by_docname().items()}  # fmt: skip


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> Iterable[str]:
    path = Path(app.doctreedir) / STATE_FILE
    try:
        before = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    new_notes = _notes_map(app)
    digest = _data_digest(app)
    _TO_SAVE.set(env, {"data": digest, "notes": new_notes})
    if before.get("data") != digest:
        return sorted(env.found_docs)
    old_notes: dict[str, Any] = before.get("notes", {})
    return sorted(doc for doc in set(old_notes) | set(new_notes)
                  if old_notes.get(doc) != new_notes.get(doc) and doc in env.found_docs)  # fmt: skip


def _save_state(app: Sphinx, exception: BaseException | None) -> None:
    saved = _TO_SAVE.get(app.env)
    if exception is None and saved is not None:
        (Path(app.doctreedir) / STATE_FILE).write_text(
            json.dumps(saved, ensure_ascii=False), encoding="utf-8"
        )


# --- notes under revised sections -----------------------------------------------------------
def _insert_notes(app: Sphinx, doctree: nodes.document) -> None:
    state = revision_state(app.env)
    if not state.enabled:
        return
    notes = state.notes_by_docname().get(app.env.docname)
    if not notes:
        return
    by_label = {n.label: n for n in notes}
    for section in doctree.findall(nodes.section):
        note = next((by_label[i] for i in section["ids"] if i in by_label), None)
        if note is None:
            continue
        sentence, link = note_text(note, state.data.display_name)
        para = nodes.paragraph(classes=["hoshin-revised-note"])
        para += nodes.Text(sentence)
        para += make_site_link(link, shinkyu_page(note.old, note.new), row_anchor(note.row))
        para += nodes.Text("）")
        title = next(iter(section.findall(nodes.title)), None)
        index = section.index(title) + 1 if title is not None and title.parent is section else 0
        section.insert(index, para)


# --- warnings ---------------------------------------------------------------------------------
def _report(app: Sphinx, env: BuildEnvironment) -> None:
    """Data errors, tampered frozen versions and the join's findings, once per build."""
    state = revision_state(app.env)
    for error in state.data.errors:
        warn(logger, WarningSubType.data, error.message, location=f"{error.path}:{error.line}")
    if not state.is_current or not state.enabled:
        return
    for error in verify_all(state.data):
        warn(logger, WarningSubType.frozen, error.message, location=f"{error.path}:{error.line}")
    draft_as_info = app.config.hoshin_draft_findings == "info"
    for old, new in state.pairs():
        try:
            cmp = state.comparison(old, new)
        except OSError as exc:
            warn(logger, WarningSubType.revision, f"cannot read version {old} or {new}: {exc}")
            continue
        version_of = {"unexplained": new, "stale_reasons": None, "quote_mismatches": None}
        for kind, subtype in (("unexplained", WarningSubType.unexplained),
                              ("stale_reasons", WarningSubType.stale_reason),
                              ("quote_mismatches", WarningSubType.quote_mismatch)):  # fmt: skip
            for finding in getattr(cmp, kind):
                location = _location(state, finding, version_of[kind], old)
                message = f"{old} → {new}: {finding.message}"
                if finding.acknowledged:
                    logger.info(f"{location}: {message}（確認済み: {finding.acknowledged}）")
                elif new == CURRENT and draft_as_info:
                    logger.info(f"{location}: {message}")
                else:
                    warn(logger, subtype, message, location=location)


def _location(state: Any, finding: JoinFinding, version: str | None, old: str) -> str:
    path, line = finding.path, finding.line or 1
    if not path:
        return ""
    if version is not None:  # a path inside that version's (or, if removed, the old one's) text
        side = old if finding.kind == "removed" else version
        path = display_path(state.source_dir(side) / path)
    return f"{path}:{line}"


# --- 新旧対照表 pages -------------------------------------------------------------------------
def _collect_pages(app: Sphinx) -> Iterable[tuple[str, dict[str, Any], str]]:
    state = revision_state(app.env)
    if not state.is_current or not state.enabled or app.builder.name not in HTML_BUILDERS:
        return
    columns = tuple(app.config.hoshin_shinkyu_columns)
    records_page = "revisions" if "revisions" in app.env.found_docs else None
    for old, new in state.pairs():
        pagename = shinkyu_page(old, new)

        def uri(site_path: str, anchor: str, _page: str = pagename) -> str:
            return site_uri(app, _page, site_path, anchor)

        try:
            body = render_shinkyu_body(state, old, new, uri, columns, records_page,
                                       review=is_review(app.config),
                                       record_links=_record_links(app, uri))  # fmt: skip
        except OSError as exc:
            warn(logger, WarningSubType.revision, f"新旧対照表 {old} → {new}: {exc}")
            continue
        title = page_title(old, new, state)
        yield pagename, {"title": title, "body": body, "hoshin_shinkyu": (old, new),
                         "meta": {}, "metatags": "", "sourcename": "",
                         "hoshin_page_sources": f"{version_id_name(old)} / {version_id_name(new)}"}, \
            "page.html"  # fmt: skip


def _record_links(app: Sphinx, uri: Callable[[str, str], str]) -> Callable[[Any], str]:
    """What other features add after a record's reason (the opinions feature: the opinions
    behind it), asked through the core event so that no feature imports another."""

    def links(record: Any) -> str:
        return "".join(part for part in app.emit(RECORD_LINKS_EVENT, record, uri) if part)

    return links


def _prune_stale_pages(app: Sphinx, exception: BaseException | None) -> None:
    """Remove 新旧対照表 pages of pairs that no longer exist (a version renamed or dropped).

    Sphinx never deletes a page an earlier build wrote, and the site's output folder is
    reused between builds: without this, a page of a comparison that is gone stays published.
    """
    state = revision_state(app.env)
    if exception is not None or not state.is_current or app.builder.name not in HTML_BUILDERS:
        return
    folder = Path(app.outdir) / SHINKYU_DIR
    if not folder.is_dir():
        return
    wanted = {shinkyu_page(old, new) for old, new in state.pairs()} if state.enabled else set()
    suffix = str(getattr(app.builder, "out_suffix", ".html"))
    for entry in folder.iterdir():
        name = entry.name.removesuffix(suffix) if entry.is_file() else entry.name
        if f"{SHINKYU_DIR}/{name}" in wanted:
            continue
        if entry.is_file() and entry.name.endswith(suffix):
            entry.unlink()
        elif entry.is_dir() and (entry / f"index{suffix}").is_file():  # dirhtml
            shutil.rmtree(entry)


def setup_shinkyu_pages(app: Sphinx) -> None:
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-read", _insert_notes)
    app.connect("env-updated", _report)
    app.connect("html-collect-pages", _collect_pages)
    app.connect("build-finished", _save_state)
    app.connect("build-finished", _prune_stale_pages)
