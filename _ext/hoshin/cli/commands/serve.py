"""``hoshin serve``: live preview of the working draft on 127.0.0.1.

One Sphinx application stays in memory between rebuilds (:mod:`hoshin.cli.preview`), so a
save shows in the browser after the changed page is read and written, without starting
Python, Sphinx and every extension again.
"""

from __future__ import annotations

import argparse
import sys
import threading
import webbrowser

from hoshin.cli.console import err, out
from hoshin.cli.preview import BuildCounter, PreviewBuilder, PreviewServer, watch
from hoshin.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="live preview that rebuilds on save",
        description="Serve the working draft on 127.0.0.1 and rebuild on every save "
        "(Sphinx stays in memory: only the changed pages are read again). Build warnings "
        "and textlint findings (when textlint is installed; --no-lint turns it off) "
        "appear in this terminal.",
    )
    p.add_argument("--port", type=int, default=8000, help="port (0 = any free port)")
    p.add_argument(
        "--lint",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run hoshin lint before each rebuild (default: when textlint is installed)",
    )
    p.add_argument("--open", action="store_true", help="open a browser on the preview")
    p.set_defaults(func=run, pins_draft_date=True)


def _textlint_installed(project: Project) -> bool:
    from hoshin.lint.textlint import CONFIG_NAME, LintToolMissing, default_roots, find_toolchain

    if not (project.root / CONFIG_NAME).is_file():
        return False
    try:
        find_toolchain(default_roots(project.root))
    except LintToolMissing:
        return False
    return True


def preview_builder(project: Project, lint: bool) -> PreviewBuilder:
    """The in-memory builder of the preview (kept separate so tests can drive it)."""
    # findings as Sphinx warnings beside the build's own (never blocks a preview)
    overrides = {"hoshin_lint_in_build": "1"} if lint else {}
    return PreviewBuilder(
        confdir=project.root,
        srcdir=project.source,
        outdir=project.build / "serve",
        doctreedir=project.cache / "doctrees" / "serve",
        overrides=overrides,
        data=(project.glossary, project.revisions),
        status=None,
        warning=sys.stderr,
    )


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    lint = args.lint if args.lint is not None else _textlint_installed(project)
    builder = preview_builder(project, lint)
    report = builder.build()
    if not report.ok:
        err(f"hoshin: the preview build failed: {report.error}")
    counter = BuildCounter()
    try:
        server = PreviewServer(args.port, builder.outdir, counter)
    except OSError as exc:
        err(f"hoshin: cannot listen on 127.0.0.1:{args.port} ({exc})")
        return 2
    server.start()
    url = f"http://127.0.0.1:{server.port}/"
    out(f"preview: {url} (Ctrl-C to stop)")
    if args.open:
        webbrowser.open(url)
    stop = threading.Event()
    watched = [project.source, project.glossary, project.revisions, project.root / "conf.py"]
    try:
        for changed in watch(watched, stop):
            report = builder.build(changed)
            if report.ok:
                seconds = f"{report.seconds:.2f}"
                out(f"rebuilt in {seconds} s")
            else:
                err(f"hoshin: the preview build failed: {report.error}")
            counter.bump()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        builder.close()
    return 0
