"""The ``--pdf`` stage of ``hoshin build``: every version's PDF, every 新旧対照表 PDF and the
「意見の概要と市の考え方」 PDF of every consultation event with opinions.

Not a subcommand of its own: :func:`run_pdf_stage` is called by ``hoshin build --pdf``
after the web edition. Output goes to ``_build/pdf`` atomically (the last good PDFs stay
when a build fails) and is mirrored into ``_build/html/pdf`` for the pages' links.
"""

from __future__ import annotations

from hoshin.cli.buildstamp import undrawn_diagrams_drawable
from hoshin.cli.console import err, out, stage
from hoshin.cli.fsfault import (
    fault_code,
    fault_in_output,
    has_output,
    outcome,
    problem,
    stopped,
)
from hoshin.cli.opinion_outputs import build_opinion_pdfs, event_files
from hoshin.core.project import Project
from hoshin.core.sitebuild import BuildFailed, atomic_dir
from hoshin.revisions.pdfbuild import (
    PdfResult,
    ToolMissing,
    build_project_pdfs,
    plan,
    publish_to_site,
    require_tex,
)


def run_pdf_stage(project: Project, *, strict: bool = False, jobs: int = 1) -> int:
    try:
        require_tex()
    except ToolMissing as exc:
        err(f"hoshin: {exc}")
        return 2
    pdf_plan = plan(project.root, project.cache)
    opinions = event_files(project.root, pdf_plan.conf)
    total = len(pdf_plan.versions) + len(pdf_plan.pairs) + len(opinions.events)
    typeset = 0
    had_pdfs = has_output(project.pdf)
    try:
        with atomic_dir(project.pdf) as staging, stage("pdf", total) as s:

            def done(result: PdfResult) -> None:
                nonlocal typeset
                typeset += result.ran_latex
                s.advance(result.filename + ("" if result.ran_latex else " (cached)"))

            build_project_pdfs(project.root, staging, project.cache, strict=strict, jobs=jobs,
                               on_done=done, redraw=undrawn_diagrams_drawable(project))  # fmt: skip
            build_opinion_pdfs(opinions, staging, project.cache / "pdf", done)
    except BuildFailed as exc:
        fault, state = fault_in_output(exc.output), outcome(project.pdf, had_pdfs, "pdf")
        if fault is None:
            err(exc.output.rstrip())
            err(f"hoshin: {exc.what} failed; {state}")
        else:  # a full disk inside a Sphinx or TeX run: one line
            err(stopped(problem(fault, project.pdf), state))
        return 1
    except OSError as exc:
        state = outcome(project.pdf, had_pdfs, "pdf")
        err(stopped(problem(fault_code(exc), project.pdf, exc), state))
        return 1
    publish_to_site(project.pdf, project.html / "pdf")
    out(f"PDF: {project.pdf} ({total} files, {typeset} typeset)")
    return 0
