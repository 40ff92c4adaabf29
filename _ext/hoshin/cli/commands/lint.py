"""``hoshin lint``: textlint for the MyST sources, reported like a compiler."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

from hoshin.cli.console import err, out
from hoshin.cli.exitcodes import ExitCode
from hoshin.core.project import Project
from hoshin.core.yamlio import DataError
from hoshin.glossary.model import GlossaryEntry, read_glossary
from hoshin.lint.allow import config_line
from hoshin.lint.safefix import FixOutcome, RefusedFix, fix_files
from hoshin.lint.textlint import (
    Finding,
    LintFailed,
    LintReport,
    LintToolMissing,
    collect_sources,
    project_linter,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lint",
        help="check the Japanese text with textlint (公用文 rules, glossary paraphrases)",
        description="Lint MyST files with textlint: 公用文 rules from .textlintrc.json, the "
        "表記ゆれ dictionary prh.yml and the glossary's 言い換える terms. MyST syntax is "
        "not linted as prose; line and column are those of the source file. Findings "
        'allowed in .textlintrc.json ("hoshin": {"allow": …}) are not reported.',
        epilog="exit codes: 0 no error-level finding, 1 error-level findings, "
        "2 invalid input or textlint/node missing",
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="MyST files or folders (default: the project's source/)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument(
        "--fix",
        action="store_true",
        help="apply the fixes textlint offers (prh, 形式名詞 …) to the files, then report "
        "what is left; allowed findings are never fixed, and a fix after which the text would "
        "have a new finding is not written (listed as 修正を見送り)",
    )
    p.add_argument(
        "--show-allowed",
        action="store_true",
        help="also list the findings covered by an allowance, with its reason",
    )
    p.set_defaults(func=run)


def _glossary_terms(project: Project) -> list[GlossaryEntry]:
    """The glossary's entries, for its 言い換える rules (a broken glossary is reported by
    ``hoshin check``; lint then runs without those rules)."""
    try:
        return list(read_glossary(project.glossary).entries) if project.glossary.is_dir() else []
    except DataError:
        return []


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    paths = list(args.paths) or [project.source]
    try:
        start = time.perf_counter()
        files = collect_sources(paths)
        linter = project_linter(
            project.root,
            glossary_terms=_glossary_terms(project) if files else (),
            cache_dir=project.cache / "lint",
        )
        report = linter.report(files, start)
        outcome: FixOutcome | None = None
        if args.fix:
            outcome = fix_files(linter, report)
            report = outcome.report
            report.seconds = time.perf_counter() - start
    except LintToolMissing as exc:
        err(f"hoshin lint: {exc}")
        return ExitCode.INVALID
    except LintFailed as exc:
        err(f"hoshin lint: {exc}")
        return ExitCode.INVALID
    fixed = {p: len(found) for p, found in outcome.applied.items()} if outcome else {}
    refused = outcome.refused if outcome else []
    if args.format == "json":
        out(json.dumps(report_json(report, fixed, refused), ensure_ascii=False, indent=1))
    else:
        _print_text(report, show_allowed=args.show_allowed)
        if refused:
            out()
            for r in refused:
                out(format_refused(r))
    for path in outcome.changed if outcome else []:
        err(
            f"{_shown(path)}:1:1: 校正の間にファイルが変更されたため、修正を書き込みませんでした。"
            "もう一度 hoshin lint --fix を実行してください"
        )
    _summary(report, fixed, len(refused))
    return ExitCode.FINDINGS if report.errors else ExitCode.OK


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _one_line(message: str) -> str:
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def format_finding(f: Finding) -> str:
    fixable = " [fixable]" if f.fix else ""
    return (
        f"{_shown(f.path)}:{f.line}:{f.col}: {f.severity} {f.rule}: {_one_line(f.message)}{fixable}"
    )


def format_refused(r: RefusedFix) -> str:
    """A fix that was not written, with the first finding it would have added."""
    f = r.finding
    new = f.fix.replacement if f.fix else ""
    why = ""
    if r.caused:
        c = r.caused[0]
        more = f" ほか {len(r.caused) - 1} 件" if len(r.caused) > 1 else ""
        why = f"（{c.line}:{c.col} {c.rule}: {_one_line(c.message)}{more}）"
    return (
        f"{_shown(f.path)}:{f.line}:{f.col}: 修正を見送り {f.rule}: 「{r.replaced}」を「{new}」に"
        f"直すと新しい指摘が出るため、直していません{why}"
    )


def _print_text(report: LintReport, *, show_allowed: bool) -> None:
    current: Path | None = None
    for f in report.findings:
        if f.path != current:
            if current is not None:
                out()
            current = f.path
        out(format_finding(f))
    if show_allowed and report.allowed:
        out()
        for f, a in report.allowed:
            out(f"{format_finding(f)} (allowed: {a.reason})")
    if report.stale:
        out()
        text = report.config_path.read_text(encoding="utf-8")
        for a in report.stale:
            out(
                f"{_shown(report.config_path)}:{config_line(text, a)}:1: warning "
                f"hoshin/stale-allowance: {a.describe()} matches no finding any more: "
                "remove it or update its text"
            )


def report_json(
    report: LintReport, fixed: dict[Path, int], refused: Sequence[RefusedFix] = ()
) -> dict[str, object]:
    return {
        "files": [str(f) for f in report.files],
        "findings": [f.to_json() for f in report.findings],
        "allowed": [
            {"finding": f.to_json(), "allowance": a.index, "reason": a.reason}
            for f, a in report.allowed
        ],
        "stale_allowances": [
            {"allowance": a.index, "rule": a.rule, "path": a.path, "text": list(a.texts)}
            for a in report.stale
        ],
        "fixed": {str(p): n for p, n in fixed.items()},
        "refused": [
            {
                "finding": r.finding.to_json(),
                "replaced": r.replaced,
                "caused": [c.to_json() for c in r.caused],
            }
            for r in refused
        ],
        "config": str(report.config_path),
        "seconds": round(report.seconds, 2),
    }


def _summary(report: LintReport, fixed: dict[Path, int], refused: int = 0) -> None:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in report.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    parts = [
        f"{len(report.files)} files",
        f"{counts['error']} errors",
        f"{counts['warning']} warnings",
        f"{len(report.allowed)} allowed by {report.config_path.name}",
    ]
    if report.stale:
        parts.append(f"{len(report.stale)} stale allowances")
    if fixed:
        parts.append(f"fixed {sum(fixed.values())} in {len(fixed)} files")
    err(f"hoshin lint: {', '.join(parts)} ({report.seconds:.1f} s)")
    if refused:
        err(
            f"hoshin lint: 修正を見送り {refused} 件（当てると新しい指摘が出る修正は書き込みません）"
        )
