"""``hoshin setup``: install hoshin's Node.js tools (textlint + rules, mermaid-cli) for this user.

The pinned lock shipped in the package (:mod:`hoshin.core.nodetools`) is installed with
``npm ci --omit=dev`` into the per-user cache, with ``PUPPETEER_SKIP_DOWNLOAD=1`` (diagrams
are drawn with Debian's ``/usr/bin/chromium``; puppeteer's own browser download is neither
needed nor possible offline). The install goes to a staging folder that replaces the final
one only when npm succeeded, so an interrupted setup never leaves half a toolchain behind.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import time

from hoshin.cli.console import err, out
from hoshin.core.nodetools import LOCK_FILES, NPM_DIR, STAMP_NAME, is_set_up, tools_dir


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "setup",
        help="install the Node.js tools (textlint, mermaid-cli) for this user",
        description="Install textlint with hoshin's rules and mermaid-cli, exactly as pinned "
        "by the lockfile shipped with hoshin, into a per-user cache "
        "(~/.cache/hoshin/node/<digest>; HOSHIN_NODE_CACHE moves it). Needs node and npm; "
        "diagrams use Debian's chromium. Run `hoshin doctor` to see every tool.",
    )
    p.add_argument("--force", action="store_true", help="reinstall even when already set up")
    p.add_argument(
        "--offline",
        action="store_true",
        help="install from npm's local cache only (no network)",
    )
    p.set_defaults(func=run)


def npm_command(offline: bool) -> list[str]:
    cmd = ["ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"]
    return [*cmd, "--offline"] if offline else cmd


def run(args: argparse.Namespace) -> int:
    target = tools_dir()
    if is_set_up(target) and not args.force:
        out(f"Node.js tools already set up: {target}")
        return 0
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        err(
            "hoshin setup: node and npm are needed: install them (Debian: apt-get install nodejs npm)"
        )
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for name in LOCK_FILES:
        shutil.copyfile(NPM_DIR / name, staging / name)
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1", "PUPPETEER_SKIP_CHROMIUM_DOWNLOAD": "1"}
    out(f"installing textlint and mermaid-cli into {target} (npm ci; a few minutes the first time)")
    start = time.perf_counter()
    try:
        proc = subprocess.run([npm, *npm_command(args.offline)], cwd=staging, env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        err((proc.stderr or proc.stdout).rstrip())
        err(f"hoshin setup: npm ci failed (exit {proc.returncode}); nothing was installed")
        return 1
    (staging / STAMP_NAME).write_text(f"npm {' '.join(npm_command(args.offline))}\n", "utf-8")
    retired = target.with_name(f".{target.name}.retired-{os.getpid()}")
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
    out(f"Node.js tools set up in {time.perf_counter() - start:.0f} s: {target}")
    return 0
