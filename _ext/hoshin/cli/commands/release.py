"""``hoshin release ID``: the release steps in one command, stopping at the first failure.

0. the opinions of the events the new version lists are all answered (disposition and
   response): a version is not frozen while the city still owes an answer;
1. ``hoshin check``: data valid, frozen versions intact, every change explained and every
   quote mismatch reviewed (acknowledged) — findings stop the release;
2. ``hoshin lint``: no error-level finding;
3. ``hoshin freeze ID``: the working draft becomes version ID;
4. ``hoshin build --pdf``: the site and PDFs of every version, ID included.
Each step says what to do when it fails.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from hoshin.cli.console import err, out, stage
from hoshin.cli.i18n import N_

from .freeze import add_version_options

#: (step name, hoshin arguments, what to do when the step fails)
STEPS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("check", ("check",),
     N_("fix the data errors above; for each finding either record the change with its reason "
     "in revisions/current/changes.yaml or, for a quotation that differs on purpose, add "
     "`acknowledged: <why>` to its record; then run hoshin release again")),
    ("lint", ("lint",),
     N_("fix the error-level findings above (hoshin lint --fix applies the safe ones), or record "
     "a justified allowance in .textlintrc.json; then run hoshin release again")),
    ("freeze", ("freeze",),
     N_("choose an id that is not in revisions/history.yaml yet; nothing was frozen")),
    ("build", ("build", "--pdf"),
     N_("the version is frozen; fix the build problem above and run hoshin build --pdf")),
)  # fmt: skip


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "release",
        help="check, lint, freeze and build a new version in one go",
        description="Run the release steps: check (data, frozen versions, reasons for every "
        "change, reviewed quote mismatches), lint, freeze ID, build --pdf. Stops at the "
        "first failing step and says what to do.",
    )
    add_version_options(p)
    p.set_defaults(func=run)


def freeze_arguments(args: argparse.Namespace) -> list[str]:
    argv = [args.id, "--status", args.status]
    if args.sign:
        argv += ["--sign", str(args.sign)]
    for event in args.event:
        argv += ["--event", event]
    for flag, value in (
        ("--date", args.date),
        ("--summary", args.summary),
        ("--edition", args.edition),
    ):
        if value:
            argv += [flag, value]
    return argv


def unanswered_opinions(args: argparse.Namespace) -> int:
    """Refuse to freeze a version whose events still have opinions without an answer."""
    from hoshin.core.project import Project
    from hoshin.opinions.check import project_opinions
    from hoshin.opinions.join import unanswered_for

    if not args.event:
        return 0
    left = unanswered_for(project_opinions(Project.find(args.project).root), args.event)
    for opinion in left:
        err(f"{opinion.where}: {opinion.event} No.{opinion.id}: no disposition or response yet")
    if left:
        err(f"hoshin release: {len(left)} opinions of the events of this version are not answered "
            "yet; write their disposition and response, then run hoshin release again")  # fmt: skip
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    from hoshin.cli import main

    refused = unanswered_opinions(args)
    if refused:
        return refused
    with stage("release", len(STEPS)) as progress:
        for name, command, remedy in STEPS:
            argv: Sequence[str] = (
                [*command, *freeze_arguments(args)] if name == "freeze" else command
            )
            code = main(["-C", args.project, *argv])
            if code != 0:
                progress.stop(name)
                err(f"hoshin release: stopped at step '{name}' (exit {code}): {remedy}")
                return code
            progress.advance(name)
    out(f"released {args.id}")
    return 0
