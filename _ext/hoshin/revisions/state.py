"""What one build needs from ``revisions/``: versions, documents, comparisons, revised sections.

A :class:`RevisionState` is made once per Sphinx process (each version is built by its own
process) and answers everything the directives, the 新旧対照表 pages, the "この節は … で改訂
されました" notes and the version switcher ask. Documents are read and compared lazily and
kept for the life of the process only. Pure Python: no Sphinx import.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path, PurePosixPath

from hoshin.core.digest import sha256_bytes
from hoshin.core.history import CURRENT, ChangeRecord, RevisionData, load_revisions, page_text
from hoshin.core.mystdoc import PolicyDocument, ScanCache, read_document
from hoshin.core.project import Project
from hoshin.revisions.compare import Comparison, compare
from hoshin.revisions.pdfpages import version_section_pages

#: Where each part of the multi-version site lives, relative to the site root.
VERSIONS_DIR = "versions"
SHINKYU_DIR = "shinkyu"


def shinkyu_page(old: str, new: str) -> str:
    """Site path (without suffix) of the 新旧対照表 page of one pair: ``shinkyu/_63-_83``."""
    return f"{SHINKYU_DIR}/{old}-{new}"


def version_root(version_id: str) -> str:
    """Site path of a version's root folder: ``""`` for the working draft, else versions/<id>/."""
    return "" if version_id == CURRENT else f"{VERSIONS_DIR}/{version_id}/"


def row_anchor(index: int) -> str:
    """HTML id of a 新旧対照表 row (the same scheme as ``diffrender.render_html_table``)."""
    return f"shinkyu-{index + 1}"


@dataclasses.dataclass(frozen=True)
class RevisedNote:
    """The last revision of a section seen from one version: the pair and the first row."""

    label: str
    old: str
    new: str
    row: int

    @property
    def page(self) -> str:
        return shinkyu_page(self.old, self.new)


class RevisionState:
    """Revision data as seen by the build of ``version_id`` whose sources are ``srcdir``."""

    def __init__(
        self, root: Path, version_id: str, srcdir: Path, scan_file: Path | None = None
    ) -> None:
        self.root = root
        self.version_id = version_id
        self.srcdir = srcdir
        self.data: RevisionData = load_revisions(root)
        self._documents: dict[str, PolicyDocument] = {}
        # Files that versions share are scanned once; with ``scan_file``, once across builds.
        self._scan_file = scan_file
        self._scans = ScanCache.load(scan_file) if scan_file is not None else ScanCache()
        self._comparisons: dict[tuple[str, str], Comparison] = {}
        self._notes: dict[str, list[RevisedNote]] | None = None
        self._pdf_pages: dict[tuple[str, str], dict[str, int]] = {}

    # --- versions -------------------------------------------------------------------------
    @property
    def enabled(self) -> bool:
        """False for projects without revisions/ (and for a version the history lacks)."""
        if not self.data.versions:
            return False
        return self.version_id == CURRENT or self.data.get(self.version_id) is not None

    @property
    def is_current(self) -> bool:
        return self.version_id == CURRENT

    def chain(self) -> list[str]:
        """Versions up to and including this one (the working draft comes last)."""
        if self.is_current:
            return [*self.data.ids, CURRENT]
        ids = self.data.ids
        return ids[: ids.index(self.version_id) + 1] if self.version_id in ids else []

    def pairs(self) -> list[tuple[str, str]]:
        chain = self.chain()
        return list(itertools.pairwise(chain))

    def date_text(self, version_id: str) -> str | None:
        info = self.data.get(version_id)
        return info.date_text if info else None

    # --- documents and comparisons --------------------------------------------------------
    def source_dir(self, version_id: str) -> Path:
        return self.srcdir if version_id == self.version_id else self.data.source_dir(version_id)

    def document(self, version_id: str) -> PolicyDocument:
        if version_id not in self._documents:
            self._documents[version_id] = read_document(
                self.source_dir(version_id), cache=self._scans
            )
            if self._scan_file is not None:
                self._scans.save(self._scan_file)
        return self._documents[version_id]

    def comparison(self, old: str, new: str) -> Comparison:
        key = (old, new)
        if key not in self._comparisons:
            self._comparisons[key] = compare(
                self.document(old), self.document(new), self.data.records_between(old, new),
                old_id=old, new_id=new, old_date=self.date_text(old), new_date=self.date_text(new),
            )  # fmt: skip
            self._comparisons[key].glossary = self.data.glossary_comparison(old, new)
        return self._comparisons[key]

    def record_page(self, record: ChangeRecord, edition: str = "public") -> str:
        """A record's page as shown: its own ``page`` (P17, 全体), else the page its first
        section starts on in the last PDF build of its version, else ``""``."""
        if record.page is not None:
            return record.page_display
        key = (record.version, edition)
        if key not in self._pdf_pages:
            project = Project(self.root, edition)
            self._pdf_pages[key] = version_section_pages(project, record.version)
        pages = self._pdf_pages[key]
        return next((page_text(pages[s]) for s in record.sections if s in pages), "")

    def revised_notes(self) -> dict[str, RevisedNote]:
        """For each section of this version: the newest pair in which it changed."""
        notes: dict[str, RevisedNote] = {}
        for old, new in reversed(self.pairs()):
            for k, change in enumerate(self.comparison(old, new).changes):
                if change.kind != "removed" and change.section not in notes:
                    notes[change.section] = RevisedNote(change.section, old, new, k)
        return notes

    def notes_by_docname(self) -> dict[str, list[RevisedNote]]:
        """Notes grouped by the document (docname) holding their section in this version."""
        if self._notes is not None:
            return self._notes
        doc = self.document(self.version_id)
        grouped: dict[str, list[RevisedNote]] = {}
        for label, note in sorted(self.revised_notes().items()):
            section = doc.get(label)
            if section is None:
                continue
            docname = str(PurePosixPath(section.path).with_suffix(""))
            grouped.setdefault(docname, []).append(note)
        self._notes = grouped
        return grouped

    def site_digest(self) -> str:
        """What every page's version furniture depends on: the history file's bytes."""
        path = self.data.history_path
        return sha256_bytes(path.read_bytes() if path.exists() else b"")


def section_docname(path: str) -> str:
    """``3/3-1-1.md`` → ``3/3-1-1``."""
    return str(PurePosixPath(path).with_suffix(""))
