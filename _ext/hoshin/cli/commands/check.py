"""``hoshin check``: validate every data file and run every registered check (hoshin.core.checks)."""

from __future__ import annotations

import argparse

from hoshin.cli.console import err, out
from hoshin.core.checks import CHECKS, run_checks
from hoshin.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    names = ", ".join(c.name for c in CHECKS)
    p = sub.add_parser(
        "check",
        help="validate data files and frozen versions; report unexplained changes",
        description="Run every check of the project: data files against their schemas, "
        "frozen versions against their SHA-256 manifests, change records against the text. "
        f"Checks: {names}. Exit 0 clean, 1 findings, 2 invalid data.",
    )
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="run only this check (repeatable)")  # fmt: skip
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    unknown = [n for n in args.only if n not in {c.name for c in CHECKS}]
    if unknown:
        err(f"hoshin check: unknown check {', '.join(unknown)}; "
            f"known: {', '.join(c.name for c in CHECKS)}")  # fmt: skip
        return 2
    errors, findings = run_checks(project, names=args.only)
    for error in errors:
        err(str(error))
    open_findings = [f for f in findings if not f.acknowledged]
    for finding in findings:
        (out if finding.acknowledged else err)(str(finding))
    acknowledged = len(findings) - len(open_findings)
    summary = f"{len(errors)} errors, {len(open_findings)} findings"
    if acknowledged:
        summary += f", {acknowledged} acknowledged"
    out(f"hoshin check: {summary}")
    if errors:
        return 2
    return 1 if open_findings else 0
