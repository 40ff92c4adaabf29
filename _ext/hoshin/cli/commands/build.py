from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from hoshin.cli.console import err, out, stage
from hoshin.cli.fsfault import (
    WRITE_FAULTS,
    fault_code,
    fault_in_output,
    has_output,
    outcome,
    problem,
    stopped,
)
from hoshin.core.project import Project
from hoshin.core.sitebuild import BuildFailed, atomic_dir, run_sphinx
from hoshin.core.yamlio import DataError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build the web edition into _build/html",
        description="Build the working draft (and every frozen version) into "
        "_build/html; the last good output stays until the new one "
        "is complete.",
    )
    p.add_argument("--strict", action="store_true", help="turn warnings into errors")
    p.add_argument(
        "-j",
        "--jobs",
        default=None,
        help="parallel Sphinx processes (or 'auto'; default 1); the PDF stage runs one "
        "LaTeX job per core unless -j is given",
    )
    p.add_argument(
        "--pdf",
        action="store_true",
        help="also build the PDFs (each version, each 新旧対照表) into _build/pdf",
    )
    p.add_argument(
        "--office",
        action="store_true",
        help="also write the Word 新旧対照表 and the 改訂箇所 workbook into _build/office",
    )
    p.add_argument(
        "--review",
        action="store_true",
        help="build the review edition (check results, sources and editors' notes; every "
        "page and PDF marked 審議用) into _build/review/ instead of the public edition",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="run every stage even when no input changed since the last build",
    )
    p.set_defaults(func=run, pins_draft_date=True)


def run(args: argparse.Namespace) -> int:
    from hoshin.core.edition import PUBLIC, REVIEW

    edition = REVIEW if getattr(args, "review", False) else PUBLIC
    with edition_env(edition):
        return _run(args, Project.find(args.project, edition))


@contextlib.contextmanager
def edition_env(edition: str) -> Iterator[None]:
    """Tell every Sphinx process started inside which edition to make (restored after:
    the CLI may run in-process, e.g. in tests)."""
    from hoshin.core.edition import EDITION_ENV

    previous = os.environ.get(EDITION_ENV)
    os.environ[EDITION_ENV] = edition
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(EDITION_ENV, None)
        else:
            os.environ[EDITION_ENV] = previous


def _run(args: argparse.Namespace, project: Project) -> int:
    from hoshin.cli import buildstamp

    options = f"strict={args.strict};pdf={args.pdf};office={args.office};edition={project.edition}"
    digest = buildstamp.inputs_digest(project, options)
    outputs = [project.html / "index.html"]
    outputs += [project.pdf] if args.pdf else []
    outputs += [project.office] if args.office else []
    if not args.force and buildstamp.unchanged(project, digest, outputs):
        out(f"nothing changed since the last build: {project.html / 'index.html'}")
        return 0
    had_site = has_output(project.html)
    try:
        buildstamp.forget(project)
        if args.force:
            buildstamp.discard_caches(project)
        code = _build(project, args)
        if code == 0:
            buildstamp.record(project, digest)
    except OSError as exc:  # the build's cache cannot be written (a read-only _build)
        fault = fault_code(exc)
        if fault not in WRITE_FAULTS:
            raise
        where = Path(exc.filename).parent if exc.filename else project.html
        err(stopped(problem(fault, where, exc), outcome(project.html, had_site)))
        return 1
    return code


def _build(project: Project, args: argparse.Namespace) -> int:
    errors = _preflight(project)
    if errors:
        for error in errors:
            err(str(error))
        err(f"hoshin: invalid data; nothing was built ({project.html} is unchanged)")
        return 2
    ctx = BuildContext(project, project.html, strict=args.strict, jobs=_jobs(args.jobs))
    if args.pdf:  # the pages link each version's PDF and each 新旧対照表 PDF
        ctx.overrides["hoshin_pdf_links"] = "1"
    had_site = has_output(project.html)
    try:
        with atomic_dir(project.html) as staging:
            ctx.staging = staging
            for html_stage in HTML_STAGES:
                html_stage.run(ctx)
    except BuildFailed as exc:
        fault, state = fault_in_output(exc.output), outcome(project.html, had_site)
        if fault is None:
            err(exc.output.rstrip())
            err(f"hoshin: {exc.what} failed; {state}")
        else:  # a full disk inside Sphinx: one line, not its crash report
            err(stopped(problem(fault, project.html), state))
        return 1
    except OSError as exc:
        err(stopped(problem(fault_code(exc), project.html, exc), outcome(project.html, had_site)))
        return 1
    for warnings in ctx.warnings:
        err(warnings.rstrip())
    what = "review edition (審議用)" if project.edition == "review" else "web edition"
    out(f"{what}: {project.html / 'index.html'}")
    if args.office and _office_stage(project) != 0:
        return 1
    if args.pdf:
        from .pdfstage import run_pdf_stage

        # LaTeX jobs are separate programs that wait on nothing but the CPU: one per core.
        pdf_jobs = _jobs(args.jobs) if args.jobs is not None else _jobs("auto")
        return run_pdf_stage(project, strict=args.strict, jobs=pdf_jobs)
    return 0


@dataclasses.dataclass
class BuildContext:
    """What the HTML stages share: the project, the staging folder, options, warnings."""

    project: Project
    staging: Path
    strict: bool = False
    jobs: int = 1
    warnings: list[str] = dataclasses.field(default_factory=list)
    #: ``-D`` settings for every Sphinx process of the web stages
    overrides: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class HtmlStage:
    """One step of the web build, run in order inside one atomic swap of _build/html."""

    name: str
    run: Callable[[BuildContext], None]


def _office_stage(project: Project) -> int:
    from hoshin.cli.officestage import build_office

    had_files = has_output(project.office)
    try:
        with atomic_dir(project.office) as staging, stage("office") as s:
            files = build_office(project, staging, on_done=s.advance)
    except OSError as exc:
        state = outcome(project.office, had_files, "office")
        err(stopped(problem(fault_code(exc), project.office, exc), state))
        return 1
    out(f"office files: {project.office} ({len(files)} files)")
    return 0


def _preflight(project: Project) -> list[DataError]:
    """Invalid data or tampered frozen versions stop the build before anything is written."""
    from hoshin.core.checks import run_checks

    errors, _ = run_checks(project, in_build=True)
    return errors


def _draft_stage(ctx: BuildContext) -> None:
    with stage("html", 1) as s:
        warnings = run_sphinx(
            confdir=ctx.project.root,
            srcdir=ctx.project.source,
            outdir=ctx.staging,
            doctreedir=ctx.project.cache / "doctrees" / "current",
            strict=ctx.strict,
            jobs=ctx.jobs,
            overrides=ctx.overrides,
            what="HTML build of the working draft",
        )
        s.advance("current")
    if warnings.strip():
        ctx.warnings.append(warnings)


def _versions_stage(ctx: BuildContext) -> None:
    """Every frozen version under versions/<id>/, from the cache when unchanged."""
    from hoshin.cli.buildstamp import undrawn_diagrams_drawable
    from hoshin.revisions.editions import build_frozen_versions, plan_versions

    total = len(plan_versions(ctx.project, ctx.overrides))
    if not total:
        return
    with stage("versions", total) as s:
        results = build_frozen_versions(
            ctx.project, ctx.staging, jobs=ctx.jobs, overrides=ctx.overrides,
            on_done=lambda r: s.advance(r.version_id + ("" if r.built else " (cached)")),
            redraw=undrawn_diagrams_drawable(ctx.project),
        )  # fmt: skip
    for result in results:
        if result.warnings.strip():
            ctx.warnings.append(_frozen_summary(ctx.project, result.version_id, result.warnings))


def _frozen_summary(project: Project, version_id: str, warnings: str) -> str:
    """One line per warning kind of a frozen build (the full list stays in the cache)."""
    import re
    from collections import Counter

    kinds = Counter(m.group(1) for m in re.finditer(r"\[(\S+)\]$", warnings, re.MULTILINE))
    total = sum(1 for line in warnings.splitlines() if "WARNING" in line or "ERROR" in line)
    detail = ", ".join(f"{k} {n}" for k, n in kinds.most_common()) or "see the log"
    log = project.cache / "versions" / version_id / "warnings.txt"
    return (f"version {version_id} (frozen, not fatal): {total} warnings ({detail}); "
            f"full list: {log}")  # fmt: skip


#: The stages of the web build, in order. A feature adds its own by appending here.
HTML_STAGES: list[HtmlStage] = [
    HtmlStage("html", _draft_stage),
    HtmlStage("versions", _versions_stage),
]


def _jobs(value: str | None) -> int:
    import os

    if value is None:
        return 1
    return os.cpu_count() or 1 if value == "auto" else max(1, int(value))
