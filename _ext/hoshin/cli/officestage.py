"""The office files of ``hoshin build --office``: Word 新旧対照表, the 改訂箇所 workbook and
each consultation event's 「意見の概要と市の考え方」.

``_build/office/`` receives ``<slug>-shinkyu-<old>-<new>.docx`` for each consecutive pair
of versions (the working draft last), ``改訂箇所.xlsx`` and ``<slug>-opinions-<event>.xlsx``
/ ``.docx`` for each event with opinions, written atomically and skipped
entirely when nothing they depend on changed (a stamp of every input). No Sphinx import.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

from hoshin import __version__
from hoshin.core.digest import InputDigest, files_under
from hoshin.core.project import Project

WORKBOOK = "改訂箇所.xlsx"
#: The code that shapes the output: a change here re-renders the files.
_RENDERERS = (
    "revisions/office_docx.py",
    "revisions/office_xlsx.py",
    "revisions/pairinfo.py",
    "revisions/shinkyu_pdf.py",
    "revisions/render.py",
    "core/recordtext.py",
    "revisions/diff.py",
    "revisions/compare.py",
    "core/mystdoc.py",
    "opinions/model.py",
    "opinions/render.py",
    "opinions/office.py",
)


def docx_name(slug: str, old: str, new: str) -> str:
    return f"{slug}-shinkyu-{old}-{new}.docx"


def inputs_digest(project: Project, slug: str, columns: tuple[str, ...], facts: str = "") -> str:
    """SHA-256 over every input: texts of all versions, revision data, renderer code, options
    and ``facts`` (title, issuer, edition, the build's date)."""
    package = Path(__file__).parents[1]
    digest = InputDigest().add_text("hoshin", __version__).add_text("slug", slug)
    digest.add_text("columns", ",".join(columns)).add_text("facts", facts)
    digest.add_files((package / name for name in _RENDERERS), package)
    digest.add_files(files_under([project.source]), project.root)
    return digest.add_files(files_under([project.revisions]), project.root).hexdigest()


def build_office(
    project: Project, staging: Path, *, on_done: Callable[[str], None] = lambda _name: None
) -> list[Path]:
    """Write every office file into ``staging`` (the caller swaps it in); return the paths."""
    from hoshin.cli.opinion_outputs import event_files, office_names, write_opinion_office
    from hoshin.core.builddate import draft_epoch
    from hoshin.core.config import run_conf
    from hoshin.core.edition import REVIEW, REVIEW_MARK, env_edition
    from hoshin.core.history import load_revisions
    from hoshin.core.mystdoc import read_document
    from hoshin.revisions.compare import compare
    from hoshin.revisions.office_docx import write_shinkyu_docx
    from hoshin.revisions.office_xlsx import WorkbookFacts, quote_results, write_changes_xlsx
    from hoshin.revisions.pairinfo import section_titles, unshown_records, version_label
    from hoshin.revisions.shinkyu_pdf import ShinkyuHeading

    conf = run_conf(project.root / "conf.py")
    slug = str(conf.get("hoshin_project_slug", "policy"))
    columns = tuple(conf.get("hoshin_shinkyu_columns", ("old", "new")))  # type: ignore[arg-type]
    title = str(conf.get("project", ""))
    issuer = str(conf.get("hoshin_issuer") or conf.get("author", ""))
    review = (conf.get("hoshin_edition") or env_edition()) == REVIEW
    when = datetime.datetime.fromtimestamp(
        draft_epoch(project.root, str(conf.get("hoshin_draft_date", ""))), tz=datetime.UTC
    )
    stamp = project.cache / "office" / "inputs.sha256"
    categories = [conf.get(f"hoshin_opinion_{k}") for k in ("dispositions", "reflected")]
    digest = inputs_digest(project, slug, columns, f"{title}|{issuer}|{review}|{when}|{categories}")
    data = load_revisions(project.root)
    data.raise_errors()
    opinions = event_files(project.root, conf)
    expected = [docx_name(slug, a, b) for a, b in data.pairs()] + [WORKBOOK]
    expected += office_names(opinions)
    if (
        stamp.is_file()
        and stamp.read_text() == digest
        and all((staging / name).is_file() for name in expected)
    ):
        return [staging / name for name in expected]
    for stale in staging.glob("*"):
        if stale.name not in expected:
            stale.unlink()
    documents = {vid: read_document(data.source_dir(vid)) for pair in data.pairs() for vid in pair}
    written = []
    for old, new in data.pairs():
        old_info, new_info = data.get(old), data.get(new)
        records = data.records_between(old, new)
        cmp = compare(
            documents[old],
            documents[new],
            records,
            old_id=old,
            new_id=new,
            old_date=old_info.date_text if old_info else None,
            new_date=new_info.date_text if new_info else None,
        )
        cmp.glossary = data.glossary_comparison(old, new)
        heading = ShinkyuHeading(title, issuer, version_label(data, old), version_label(data, new),
                                 mark=REVIEW_MARK if review else "")  # fmt: skip
        unshown = unshown_records(cmp, records, section_titles(documents[old], documents[new]))
        target = staging / docx_name(slug, old, new)
        written.append(write_shinkyu_docx(cmp, target, columns=columns, heading=heading,
                                          unshown=unshown, when=when))  # fmt: skip
        on_done(docx_name(slug, old, new))
    titles = section_titles(*documents.values())
    facts = WorkbookFacts(title, issuer, when, titles, review=review)
    written.append(write_changes_xlsx(data, staging / WORKBOOK, facts=facts,
                                      quote_result=quote_results(data)))  # fmt: skip
    on_done(WORKBOOK)
    written += write_opinion_office(opinions, staging, when, on_done)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)
    return written
