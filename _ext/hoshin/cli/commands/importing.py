"""``hoshin import changes FILE.xlsx``: change records edited in Excel, back into YAML;
``hoshin import opinions FILE.xlsx|.csv --event ID``: opinions of a consultation into YAML."""

from __future__ import annotations

import argparse
from pathlib import Path

from hoshin.cli.console import err, out
from hoshin.core.atomicfile import write_text_atomic
from hoshin.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="read change records back from an edited .xlsx",
        description="Read the per-version sheets of a workbook written by `hoshin export "
        "changes` into revisions/<id>/changes.yaml. Every row is validated first; "
        "nothing is written when any row is invalid (messages read sheet!cell).",
    )
    p.add_argument("what", choices=["changes", "opinions"], help="what to import")
    p.add_argument("file", help="the .xlsx workbook (opinions: .xlsx or .csv)")
    p.add_argument(
        "--event",
        metavar="ID",
        help="opinions: the event id, the file name of revisions/opinions/ID.yaml",
    )
    p.add_argument(
        "--name",
        metavar="TEXT",
        help="opinions: the event's name for a new file (e.g. パブリックコメント)",
    )
    p.add_argument("--date", metavar="TEXT", help="opinions: the event's date or period (new file)")
    p.add_argument(
        "--map",
        metavar="FIELD=COLUMN,...",
        help="opinions: which column holds which field, e.g. summary=意見の概要,name=氏名",
    )
    p.add_argument(
        "--unrecorded",
        action="store_true",
        help="opinions: an empty summary or response cell is one the source material does "
        "not record (written as 'unrecorded'; the outputs say so) instead of an error or an "
        "opinion not answered yet",
    )
    p.add_argument(
        "--write",
        action="store_true",
        help="opinions: write the file (without it, only show what would be written)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.what == "opinions":
        from hoshin.cli.opinion_import import run_opinions

        return run_opinions(args)
    from hoshin.core.history import load_revisions
    from hoshin.revisions.office_xlsx import ImportErrors, changes_yaml, read_changes_xlsx

    project = Project.find(args.project)
    data = load_revisions(project.root)
    data.raise_errors()
    try:
        imported = read_changes_xlsx(args.file, data.ids)
    except ImportErrors as exc:
        for message in exc.messages:
            err(message)
        err(f"hoshin: nothing was written; fix the cells above in {exc.path}")
        return 2
    staged: list[tuple[Path, str]] = []
    for version_id, records in imported.items():
        target = project.revisions / version_id / "changes.yaml"
        staged.append((target, changes_yaml(records, version_id)))
    for target, text in staged:  # all rows valid: now write, each file atomically
        write_text_atomic(target, text)
        out(f"wrote {target.relative_to(project.root)} ({text.count('- number:')} records)")
    reloaded = load_revisions(project.root)
    for error in reloaded.errors:
        err(str(error))
    return 2 if reloaded.errors else 0
