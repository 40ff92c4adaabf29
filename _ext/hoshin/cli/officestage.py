"""The office files of ``hoshin build --office``: Word 新旧対照表 and the 改訂箇所 workbook.

``_build/office/`` receives ``<slug>-shinkyu-<old>-<new>.docx`` for each consecutive pair
of versions (the working draft last) and ``改訂箇所.xlsx``, written atomically and skipped
entirely when nothing they depend on changed (a stamp of every input). No Sphinx import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from hoshin import __version__
from hoshin.core.project import Project

WORKBOOK = "改訂箇所.xlsx"
#: The code that shapes the output: a change here re-renders the files.
_RENDERERS = (
    "revisions/office_docx.py",
    "revisions/office_xlsx.py",
    "revisions/diff.py",
    "revisions/compare.py",
    "core/mystdoc.py",
)


def docx_name(slug: str, old: str, new: str) -> str:
    return f"{slug}-shinkyu-{old}-{new}.docx"


def inputs_digest(project: Project, slug: str, columns: tuple[str, ...]) -> str:
    """SHA-256 over every input: texts of all versions, revision data, renderer code, options."""
    from hoshin.core.frozen import tree_digest

    h = hashlib.sha256(f"{__version__}|{slug}|{','.join(columns)}".encode())
    for name in _RENDERERS:
        h.update((Path(__file__).parents[1] / name).read_bytes())
    h.update(tree_digest(project.source).encode())
    for path in sorted(project.revisions.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(project.revisions)).encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def build_office(
    project: Project, staging: Path, *, on_done: Callable[[str], None] = lambda _name: None
) -> list[Path]:
    """Write every office file into ``staging`` (the caller swaps it in); return the paths."""
    from hoshin.core.config import run_conf
    from hoshin.core.history import load_revisions
    from hoshin.core.mystdoc import read_document
    from hoshin.revisions.compare import compare
    from hoshin.revisions.office_docx import write_shinkyu_docx
    from hoshin.revisions.office_xlsx import quote_results, write_changes_xlsx

    conf = run_conf(project.root / "conf.py")
    slug = str(conf.get("hoshin_project_slug", "policy"))
    columns = tuple(conf.get("hoshin_shinkyu_columns", ("old", "new")))  # type: ignore[arg-type]
    stamp = project.cache / "office" / "inputs.sha256"
    digest = inputs_digest(project, slug, columns)
    data = load_revisions(project.root)
    data.raise_errors()
    expected = [docx_name(slug, a, b) for a, b in data.pairs()] + [WORKBOOK]
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
        cmp = compare(
            documents[old],
            documents[new],
            data.records_between(old, new),
            old_id=old,
            new_id=new,
            old_date=old_info.date_text if old_info else None,
            new_date=new_info.date_text if new_info else None,
        )
        written.append(
            write_shinkyu_docx(cmp, staging / docx_name(slug, old, new), columns=columns)
        )
        on_done(docx_name(slug, old, new))
    written.append(write_changes_xlsx(data, staging / WORKBOOK, quote_result=quote_results(data)))
    on_done(WORKBOOK)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)
    return written
