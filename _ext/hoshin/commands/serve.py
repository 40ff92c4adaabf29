"""``hoshin serve``: live preview of the working draft on 127.0.0.1 (sphinx-autobuild)."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
from pathlib import Path

from ..console import err, out
from ..project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="live preview that rebuilds on save",
        description="Serve the working draft on 127.0.0.1 and rebuild on every save "
        "(sphinx-autobuild). Build warnings and, with --lint, textlint findings "
        "appear in this terminal.",
    )
    p.add_argument("--port", type=int, default=8000, help="port (0 = any free port)")
    p.add_argument("--lint", action="store_true", help="run hoshin lint before each rebuild")
    p.add_argument("--open", action="store_true", help="open a browser on the preview")
    p.set_defaults(func=run)


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
    if lint:
        hoshin = shutil.which("hoshin") or "hoshin"
        cmd += ["--pre-build", shlex.join([hoshin, "-C", str(project.root), "lint"])]
    if open_browser:
        cmd.append("--open-browser")
    cmd += [str(project.source), str(project.build / "serve")]
    return cmd


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    cmd = autobuild_command(project, args.port, args.lint, args.open)
    out(f"preview: http://127.0.0.1:{args.port}/ (Ctrl-C to stop)")
    try:
        os.execv(cmd[0], cmd)  # replaces this process: Ctrl-C goes straight to autobuild
    except OSError as exc:
        err(f"hoshin: cannot start sphinx-autobuild ({exc}); run `make setup` to install it")
        return 2
    return 0  # not reached
