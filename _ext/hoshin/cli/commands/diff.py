"""``hoshin diff OLD NEW``: the changes between two versions with the reasons of their records."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Literal

from hoshin.cli.console import err, out, use_colour
from hoshin.core.atomicfile import replacing, write_text_atomic
from hoshin.core.frozen import verify_version
from hoshin.core.history import CURRENT, display_path, load_revisions
from hoshin.core.mystdoc import ScanCache, read_document
from hoshin.core.project import Project
from hoshin.core.yamlio import DataError
from hoshin.revisions.compare import Comparison, compare
from hoshin.revisions.render import render_csv, render_html, render_json, render_text

FORMATS = ("text", "html", "csv", "json", "docx", "pdf")
#: Formats written only to a file (-o), never to the terminal.
BINARY_FORMATS = ("docx", "pdf")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diff",
        help="compare two versions (新旧対照表): changes with their reasons",
        description="Compare version OLD with version NEW (ids from revisions/history.yaml, "
        "or 'current' for the working draft in source/). Each change carries the 改版理由 of "
        "the change records of the versions in between; changes without a record, records "
        "whose section did not change and quotations not found in the text are listed.",
    )
    p.add_argument("old", metavar="OLD", help="the older version (or 'current')")
    p.add_argument("new", metavar="NEW", help="the newer version (or 'current')")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format (default: text, coloured on a terminal)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (atomically) instead of standard output",
    )
    p.add_argument("--width", type=int, default=80, help="text width in columns (default 80)")
    p.set_defaults(func=run)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    data = load_revisions(project.root)
    if data.errors:
        for error in data.errors:
            err(str(error))
        return 2
    for vid in (args.old, args.new):
        data.check_version(vid)
    if data.order(args.old) > data.order(args.new):
        raise DataError(display_path(data.history_path), 1, 1,
                        f"{args.old} comes after {args.new} in the history; "
                        f"compare older → newer (hoshin diff {args.new} {args.old})")  # fmt: skip
    for vid in (args.old, args.new):
        if vid != CURRENT:
            problems = verify_version(project.revisions / vid)
            if problems:
                raise problems[0]
    old_info, new_info = data.get(args.old), data.get(args.new)
    # Files the two versions share are scanned once, and a frozen version's files once
    # across runs (the cache lives beside the doctrees; see ScanCache).
    scans = ScanCache.load(project.scan_cache)
    cmp = compare(
        read_document(data.source_dir(args.old), cache=scans),
        read_document(data.source_dir(args.new), cache=scans),
        data.records_between(args.old, args.new), old_id=args.old, new_id=args.new,
        old_date=old_info.date_text if old_info else None,
        new_date=new_info.date_text if new_info else None,
    )  # fmt: skip
    cmp.glossary = data.glossary_comparison(args.old, args.new)
    scans.save(project.scan_cache)
    columns: tuple[Literal["old"], Literal["new"]] = ("old", "new")
    if args.format in BINARY_FORMATS:
        return _write_binary(args, cmp, columns)
    if args.format == "json":
        text = render_json(cmp)
    elif args.format == "csv":
        text = render_csv(cmp)
    elif args.format == "html":
        text = render_html(cmp, columns)
    else:
        colour = args.output is None and use_colour(sys.stdout)
        text = render_text(cmp, colour=colour, width=args.width)
    if args.output:
        write_text_atomic(Path(args.output), text)
        out(f"{args.old} → {args.new}: {len(cmp.changes)} changes written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def _write_binary(args: argparse.Namespace, cmp: Comparison, columns: tuple[str, str]) -> int:
    """Word and PDF go to a file: the 新旧対照表 (A4 landscape, 傍線, reasons)."""
    from hoshin.revisions.office_docx import write_shinkyu_docx

    if not args.output:
        err(f"hoshin diff: --format {args.format} writes a file; give it with -o FILE")
        return 2
    target = Path(args.output)
    if args.format == "pdf":
        return _write_pdf(args, target)
    with replacing(target) as tmp:
        write_shinkyu_docx(cmp, tmp, columns=columns)
    out(f"{args.old} → {args.new}: {len(cmp.changes)} changes written to {args.output}")
    return 0


def _write_pdf(args: argparse.Namespace, target: Path) -> int:
    """The same 新旧対照表 PDF as ``hoshin build --pdf`` makes, for any two versions."""
    from hoshin.core.builddate import pinned_source_date
    from hoshin.core.config import run_conf
    from hoshin.core.sitebuild import BuildFailed
    from hoshin.revisions.pdfbuild import ToolMissing, build_tex_pdf, require_tex, shinkyu_tex

    project = Project.find(args.project)
    try:
        require_tex()
    except ToolMissing as exc:
        err(f"hoshin: {exc}")
        return 2
    conf = run_conf(project.root / "conf.py")
    tex = shinkyu_tex(project.root, args.old, args.new, conf)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with pinned_source_date(project.root, str(conf.get("hoshin_draft_date", ""))):
            build_tex_pdf(tex, name=f"diff-{args.old}-{args.new}",
                          cachedir=project.cache / "pdf-diff",
                          outdir=target.parent, filename=target.name)  # fmt: skip
    except BuildFailed as exc:
        err(exc.output.rstrip())
        return 1
    out(f"{args.old} → {args.new}: 新旧対照表 PDF written to {args.output}")
    return 0
