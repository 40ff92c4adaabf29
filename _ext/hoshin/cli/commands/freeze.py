"""``hoshin freeze ID``: freeze the working draft as a new version (never overwrites one)."""

from __future__ import annotations

import argparse

from hoshin.cli.console import out
from hoshin.core.frozen import FreezeRequest, freeze
from hoshin.core.history import display_path
from hoshin.core.mystdoc import ScanCache, read_document
from hoshin.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "freeze",
        help="freeze source/ as a new version in revisions/",
        description="Copy source/ (and glossary/) into revisions/ID/, write its SHA-256 "
        "manifest and append the version to revisions/history.yaml. Change records written "
        "for the draft in revisions/current/changes.yaml move to revisions/ID/changes.yaml. "
        "Refuses when ID already exists: frozen versions are never overwritten.",
    )
    add_version_options(p)
    p.set_defaults(func=run)  # fmt: skip


def add_version_options(p: argparse.ArgumentParser) -> None:
    """The new version's id and description (shared with ``hoshin release``)."""
    p.add_argument("id", metavar="ID", help="the new version's id (e.g. _84)")
    p.add_argument(
        "--event",
        action="append",
        default=[],
        metavar="TEXT",
        help="what motivated this version (repeatable), e.g. 第4回有識者会議",
    )
    p.add_argument(
        "--date",
        metavar="DATE",
        help="YYYY-MM-DD, YYYY-MM or 'undetermined' (shown as 令和XX年XX月)",
    )
    p.add_argument("--summary", metavar="TEXT", help="one-line summary")
    p.add_argument("--edition", metavar="NAME", help="edition name, e.g. VER.02")
    p.add_argument("--status", choices=("draft", "published"), default="draft")


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    request = FreezeRequest(
        version_id=args.id, summary=args.summary or f"{args.id} を凍結", events=args.event,
        date=args.date, edition=args.edition, status=args.status,
    )  # fmt: skip
    target = freeze(project.root, request)
    # Scan the new version now, so that the first ``hoshin diff`` against it is already fast.
    scans = ScanCache.load(project.scan_cache)
    try:
        read_document(target / "source", cache=scans)
    except (OSError, UnicodeError):
        pass  # the diff will say what is wrong with the file
    else:
        scans.save(project.scan_cache)
    out(
        f"frozen {args.id}: {display_path(target)} (manifest {display_path(target / 'MANIFEST.sha256')})"
    )
    return 0
