"""``hoshin serve``: live preview of the working draft on 127.0.0.1 (sphinx-autobuild)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hoshin.cli.console import err, out
from hoshin.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="live preview that rebuilds on save",
        description="Serve the working draft on 127.0.0.1 and rebuild on every save "
        "(sphinx-autobuild). Build warnings and textlint findings (when textlint is "
        "installed; --no-lint turns it off) "
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


def autobuild_command(project: Project, port: int, lint: bool, open_browser: bool) -> list[str]:
    """The sphinx-autobuild command line (kept separate so tests can check it)."""
    exe = Path(sys.executable).parent / "sphinx-autobuild"
    cmd = [str(exe) if exe.exists() else "sphinx-autobuild"]
    cmd += [
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "-c",
        str(project.root),
        "-d",
        str(project.cache / "doctrees" / "serve"),
        "--re-ignore",
        r"(^|/)(_build|\.git|node_modules|\.venv)(/|$)",
    ]
    for extra in (project.glossary, project.revisions, project.root / "conf.py"):
        if extra.exists():
            cmd += ["--watch", str(extra)]
    if lint:  # findings as Sphinx warnings beside the build's own (never blocks a preview)
        cmd += ["-D", "hoshin_lint_in_build=1"]
    if open_browser:
        cmd.append("--open-browser")
    cmd += [str(project.source), str(project.build / "serve")]
    return cmd


def _textlint_installed(project: Project) -> bool:
    from hoshin.lint.textlint import CONFIG_NAME, LintToolMissing, default_roots, find_toolchain

    if not (project.root / CONFIG_NAME).is_file():
        return False
    try:
        find_toolchain(default_roots(project.root))
    except LintToolMissing:
        return False
    return True


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    lint = args.lint if args.lint is not None else _textlint_installed(project)
    cmd = autobuild_command(project, args.port, lint, args.open)
    out(f"preview: http://127.0.0.1:{args.port}/ (Ctrl-C to stop)")
    try:
        os.execv(cmd[0], cmd)  # replaces this process: Ctrl-C goes straight to autobuild
    except OSError as exc:
        err(f"hoshin: cannot start sphinx-autobuild ({exc}); run `make setup` to install it")
        return 2
    return 0  # not reached
