"""``hoshin export changes``: the change records as an Excel workbook."""

from __future__ import annotations

import argparse
from pathlib import Path

from hoshin.cli.console import out
from hoshin.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="export change records (改訂箇所) for office tools",
        description="Write the change records of every version as an .xlsx workbook: the "
        "seed's columns, one sheet per version plus 全体, and the quote-check result.",
    )
    p.add_argument("what", choices=["changes"], help="what to export")
    p.add_argument("--format", choices=["xlsx"], default="xlsx", help="file format")
    p.add_argument("-o", "--output", help="output file (default: _build/office/改訂箇所.xlsx)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from hoshin.core.history import load_revisions
    from hoshin.revisions.office_xlsx import quote_results, write_changes_xlsx

    project = Project.find(args.project)
    data = load_revisions(project.root)
    data.raise_errors()
    target = Path(args.output) if args.output else project.build / "office" / "改訂箇所.xlsx"
    write_changes_xlsx(data, target, quote_result=quote_results(data))
    out(f"change records: {target}")
    return 0
