"""``hoshin import opinions FILE --event ID``: a spreadsheet of opinions into YAML.

Dry run by default: shows the column mapping and what would be written; ``--write``
writes ``revisions/opinions/<ID>.yaml`` (a new file, or the new opinions appended to an
existing one, whose opinions are kept as they are). Any unreadable row stops the import
with its row number, and nothing is written.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from hoshin.cli.console import err, out
from hoshin.core.atomicfile import write_text_atomic
from hoshin.core.history import ID_PATTERN
from hoshin.core.project import Project
from hoshin.core.yamlio import DataError, load_yaml, read_text


def run_opinions(args: argparse.Namespace) -> int:
    from hoshin.opinions.check import project_opinions
    from hoshin.opinions.importer import (
        MappingError,
        append_to_yaml,
        opinions_yaml,
        parse_mapping,
        preview_lines,
        read_opinions,
    )
    from hoshin.opinions.model import OPINIONS_DIR

    project = Project.find(args.project)
    if not args.event or not re.fullmatch(ID_PATTERN, args.event):
        err(
            f"hoshin import opinions: give --event ID (ASCII letters, digits, _ . + -), got {args.event!r}"
        )
        return 2
    target = project.root / OPINIONS_DIR / f"{args.event}.yaml"
    data = project_opinions(project.root)
    existing = data.event(args.event)
    if target.exists() and existing is None:
        for error in data.errors:
            err(str(error))
        err(f"hoshin import opinions: fix {target.relative_to(project.root)} first")
        return 2
    if existing is None and not args.name:
        err("hoshin import opinions: a new event needs --name (e.g. パブリックコメント)")
        return 2
    try:
        mapping = parse_mapping(args.map or "")
        result = read_opinions(
            Path(args.file),
            mapping,
            dispositions=data.dispositions,
            existing_ids=[o.id for o in existing.opinions] if existing else [],
            empty_unrecorded=args.unrecorded,
        )
    except (MappingError, OSError) as exc:
        err(f"hoshin import opinions: {exc}")
        return 2
    for line in preview_lines(result):
        out(line)
    if result.problems:
        for problem in result.problems:
            err(problem)
        err(f"hoshin import opinions: {len(result.problems)} problems; nothing was written")
        return 2
    shown = target.relative_to(project.root)
    if not args.write:
        out(
            f"{len(result.opinions)} of {result.rows} rows read; nothing written (dry run): "
            f"add --write to write {shown}"
        )
        return 0
    if existing is None:
        text = opinions_yaml(args.name, result.opinions, date=args.date)
    else:
        current = read_text(target)
        text = append_to_yaml(current, load_yaml(str(shown), text=current).data, result.opinions)
    try:
        load_yaml(str(shown), text=text)
    except DataError as exc:  # never write a file hoshin cannot read back
        err(str(exc))
        return 2
    write_text_atomic(target, text)
    out(f"wrote {shown} ({len(result.opinions)} opinions added)")
    reloaded = project_opinions(project.root)
    for error in reloaded.errors:
        err(str(error))
    return 2 if reloaded.errors else 0
