from __future__ import annotations

import argparse

from ..console import err, out, stage
from ..project import Project
from ..sitebuild import BuildFailed, atomic_dir, run_sphinx


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build the web edition into _build/html",
        description="Build the working draft (and every frozen version) into "
        "_build/html; the last good output stays until the new one "
        "is complete.",
    )
    p.add_argument("--strict", action="store_true", help="turn warnings into errors")
    p.add_argument("-j", "--jobs", default="1", help="parallel Sphinx processes (or 'auto')")
    p.add_argument("--pdf", action="store_true",
                   help="also build the PDFs (each version, each 新旧対照表) into _build/pdf")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    if args.pdf:
        from .pdfstage import enable_pdf_links

        enable_pdf_links()
    try:
        with atomic_dir(project.html) as staging, stage("html", 1) as s:
            warnings = run_sphinx(
                confdir=project.root,
                srcdir=project.source,
                outdir=staging,
                doctreedir=project.cache / "doctrees" / "current",
                strict=args.strict,
                jobs=_jobs(args.jobs),
                what="HTML build of the working draft",
            )
            s.advance("current")
    except BuildFailed as exc:
        err(exc.output.rstrip())
        err(f"hoshin: {exc.what} failed; {project.html} still holds the last good build")
        return 1
    if warnings.strip():
        err(warnings.rstrip())
    out(f"web edition: {project.html / 'index.html'}")
    if args.pdf:
        from .pdfstage import run_pdf_stage

        return run_pdf_stage(project, strict=args.strict, jobs=_jobs(args.jobs))
    return 0


def _jobs(value: str) -> int:
    import os

    return os.cpu_count() or 1 if value == "auto" else max(1, int(value))
