"""``hoshin freeze ID``: freeze the working draft as a new version (never overwrites one).

``hoshin freeze --rehash`` rewrites the manifests of the existing versions in the current
format (:mod:`hoshin.core.manifest`) once, after showing what changes and asking.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hoshin.cli.console import err, out
from hoshin.core.frozen import FreezeRequest, RehashStep, apply_rehash, freeze, plan_rehash
from hoshin.core.history import display_path
from hoshin.core.mystdoc import ScanCache, read_document
from hoshin.core.project import Project

SHORT = 12


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "freeze",
        help="freeze source/ as a new version in revisions/",
        description="Copy source/ (and glossary/) into revisions/ID/, move the draft's change "
        "records (revisions/current/changes.yaml) there, write the version's history entry and "
        "its SHA-256 manifest (chained to the previous version's) and append the version to "
        "revisions/history.yaml. Refuses when ID already exists: frozen versions are never "
        "overwritten. --rehash rewrites the manifests of the existing versions once in the "
        "current format, after showing what changes.",
    )
    add_version_options(p, id_required=False)
    p.add_argument("--rehash", action="store_true",
                   help="rewrite the manifests of every frozen version in the current format "
                   "(refused when a frozen text was edited); shows what changes first")  # fmt: skip
    p.add_argument("--yes", action="store_true",
                   help="with --rehash: write without asking")  # fmt: skip
    p.set_defaults(func=run)


def add_version_options(p: argparse.ArgumentParser, *, id_required: bool = True) -> None:
    """The new version's id and description (shared with ``hoshin release``)."""
    p.add_argument("id", metavar="ID", nargs=None if id_required else "?",
                   help="the new version's id (e.g. _84)")  # fmt: skip
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
    p.add_argument("--sign", metavar="KEY", type=Path,
                   help="sign the manifest with this OpenSSH key (ssh-keygen -Y sign); "
                   "hoshin check verifies it against revisions/allowed_signers")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    if args.rehash:
        if args.id:
            err("hoshin freeze: --rehash rewrites every version's manifest; give no ID")
            return 2
        return rehash(project, yes=args.yes, sign_key=args.sign)
    if not args.id:
        err("hoshin freeze: give the new version's ID (or --rehash)")
        return 2
    request = FreezeRequest(
        version_id=args.id, summary=args.summary or f"{args.id} を凍結", events=args.event,
        date=args.date, edition=args.edition, status=args.status,
    )  # fmt: skip
    target = freeze(project.root, request, sign_key=args.sign)
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
    if args.sign:
        out(f"signed: {display_path(target / 'MANIFEST.sha256.sig')}")
    return 0


def rehash(project: Project, *, yes: bool, sign_key: Path | None) -> int:
    """Show what ``--rehash`` changes; write it when confirmed (``--yes`` or an answer ``y``)."""
    steps = plan_rehash(project.root)
    rewritten: set[str] = set()
    for step in steps:
        show_step(step, signing=sign_key is not None,
                  previous_rewritten=step.previous in rewritten)  # fmt: skip
        if step.changes:
            rewritten.add(step.version_id)
    if not any(s.changes for s in steps) and sign_key is None:
        out("every manifest is already up to date; nothing to write")
        return 0
    if not yes:
        if not sys.stdin.isatty():
            err("nothing written: run again with --yes to write these manifests")
            return 1
        out("write these manifests? [y/N]")
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            out("nothing written")
            return 1
    signed = apply_rehash(project.root, steps, sign_key=sign_key)
    written = sum(1 for s in steps if s.changes)
    out(
        f"rewrote {written} manifests, signed {signed}; commit revisions/ (git add revisions && git commit)"
    )
    return 0


def show_step(step: RehashStep, *, signing: bool, previous_rewritten: bool) -> None:
    vid = step.version_id
    if not step.changes:
        out(f"{vid}: unchanged (manifest {step.old_digest[:SHORT]})")
        return
    out(f"{vid}: manifest {step.old_digest[:SHORT]} → {step.new_digest[:SHORT]}")
    if step.old_format:
        out("  old format: now covers every file of the version and its history entry")
    if step.previous and (step.old_format or previous_rewritten):
        out(f"  records the manifest of the previous version {step.previous}")
    for rel in step.newly_covered:
        out(f"  newly covered: {rel}")
    for rel in step.changed:
        out(f"  changed since it was frozen: {rel}")
    for rel in step.removed:
        out(f"  removed since it was frozen: {rel}")
    if step.entry_fields:
        out(f"  history entry changed: {', '.join(step.entry_fields)}")
    if step.signed and signing:
        out("  signature made again with --sign")
    elif step.signed:
        out("  signature removed (it signs the old manifest; sign again with --sign KEY)")
