"""The page each section starts on in a version's typeset PDF (pure Python, no Sphinx).

A change record may leave out ``page`` (原資料のページ). The page a reader would turn to is
then the one its section starts on in the PDF of the record's version; LaTeX writes it to
the ``.aux`` file of that PDF's build (``\\newlabel{<docname>:<label>}{{<number>}{<page>}…``,
Sphinx's labels are ``docname:label``). Where no PDF of that version has been built, no
page is known and none is shown.
"""

from __future__ import annotations

import re
from pathlib import Path

from hoshin.core.project import Project

_NEWLABEL = re.compile(r"\\newlabel\{(?:[^{}]*:)?([^{}:]+)\}\{\{[^{}]*\}\{([0-9]+)\}")


def section_pages(aux_text: str) -> dict[str, int]:
    """``{label: page}`` from the text of a LaTeX ``.aux`` file (first page of each label)."""
    pages: dict[str, int] = {}
    for label, page in _NEWLABEL.findall(aux_text):
        pages.setdefault(label, int(page))
    return pages


def pdf_stamp(project: Project, version_id: str) -> Path:
    """The file a PDF build of ``version_id`` rewrites each time it finishes (may not exist
    yet): what pages read from its ``.aux`` depend on."""
    return project.cache / "pdf" / version_id / "stamp.json"


def aux_files(project: Project, version_id: str) -> list[Path]:
    """The ``.aux`` files of ``version_id``'s PDF build (see :mod:`hoshin.revisions.pdfbuild`)."""
    latexdir = project.cache / "pdf" / version_id / "latex"
    if not latexdir.is_dir():
        return []
    return sorted(p for p in latexdir.glob("*.aux") if not p.name.startswith("sphinx"))


def version_section_pages(project: Project, version_id: str) -> dict[str, int]:
    """``{label: page}`` of ``version_id``'s last PDF build, or ``{}`` when there is none."""
    pages: dict[str, int] = {}
    for aux in aux_files(project, version_id):
        try:
            text = aux.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for label, page in section_pages(text).items():
            pages.setdefault(label, page)
    return pages
