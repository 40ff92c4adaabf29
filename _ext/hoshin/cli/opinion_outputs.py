"""The print and office files of 「意見の概要と市の考え方」, one set per consultation event.

``hoshin build --pdf`` typesets ``<slug>-opinions-<event>.pdf`` beside the other PDFs (the
renderer is :mod:`hoshin.opinions.result_pdf`, the typesetting and its cache those of the
新旧対照表 in :mod:`hoshin.revisions.pdfbuild`: two features, so the CLI joins them);
``hoshin build --office`` writes ``<slug>-opinions-<event>.xlsx``/``.docx`` beside the other
office files. Every event with at least one opinion gets its files; an event without any has
nothing to print. The public edition's table holds no private field (the loader drops them).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from hoshin.core.edition import REVIEW, REVIEW_MARK, env_edition
from hoshin.core.sitemap import opinions_pdf_name
from hoshin.opinions.check import project_opinions
from hoshin.opinions.model import OpinionData, OpinionEvent
from hoshin.opinions.render import result_table

if TYPE_CHECKING:
    from hoshin.revisions.pdfbuild import PdfResult


@dataclasses.dataclass(frozen=True)
class EventFiles:
    """What the files of every event are made from: the opinions and the project's settings."""

    data: OpinionData
    slug: str
    title: str
    issuer: str
    review: bool

    @property
    def events(self) -> list[OpinionEvent]:
        return [e for e in self.data.events if e.opinions]

    @property
    def mark(self) -> str:
        return REVIEW_MARK if self.review else ""


def event_files(root: Path, conf: Mapping[str, object]) -> EventFiles:
    """Read in the calling thread (conf.py is run by the caller, which may change folder)."""
    edition = str(conf.get("hoshin_edition") or env_edition())
    return EventFiles(
        project_opinions(root),
        str(conf.get("hoshin_project_slug", "policy")),
        str(conf.get("project", "")),
        str(conf.get("hoshin_issuer") or conf.get("author", "")),
        edition == REVIEW,
    )


def pdf_names(files: EventFiles) -> list[str]:
    return [opinions_pdf_name(files.slug, e.id) for e in files.events]


def build_opinion_pdfs(
    files: EventFiles, outdir: Path, pdfcache: Path, on_done: Callable[[PdfResult], None]
) -> list[Path]:
    """Typeset (or take from the cache) each event's PDF into ``outdir``."""
    from hoshin.opinions.result_pdf import ResultHeading, render_result_latex
    from hoshin.revisions.pdfbuild import build_tex_pdf

    heading = ResultHeading(files.title, files.issuer, files.mark)
    written = []
    for event in files.events:
        tex = render_result_latex(result_table(event, files.data, review=files.review), heading)
        filename = opinions_pdf_name(files.slug, event.id)
        result = build_tex_pdf(tex, name=f"opinions-{event.id}", cachedir=pdfcache,
                               outdir=outdir, filename=filename, sty=None,
                               what=f"意見の概要と市の考え方 {event.id}")  # fmt: skip
        written.append(result.path)
        on_done(result)
    return written


def office_names(files: EventFiles) -> list[str]:
    return [f"{files.slug}-opinions-{e.id}{suffix}" for e in files.events
            for suffix in (".xlsx", ".docx")]  # fmt: skip


def write_opinion_office(
    files: EventFiles, staging: Path, when: datetime.datetime, on_done: Callable[[str], None]
) -> list[Path]:
    """Each event's .xlsx and .docx (the web edition's ``_opinions/`` files) into ``staging``
    (copied from the build cache when the web edition already made them)."""
    from hoshin.core.outcache import build_cache
    from hoshin.opinions.office_files import write_office_pair

    facts = (files.title, files.issuer, when, files.mark)
    cache = build_cache(staging, staging.parent / ".cache") / "downloads"
    written = []
    for event in files.events:
        table = result_table(event, files.data, review=files.review)
        stem = f"{files.slug}-opinions-{event.id}"
        xlsx, docx = staging / f"{stem}.xlsx", staging / f"{stem}.docx"
        write_office_pair(table, xlsx, docx, facts, cache)
        written += [xlsx, docx]
        on_done(stem)
    return written
