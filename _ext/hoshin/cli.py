"""``hoshin``: build, check, diff and release a policy document.

Exit codes (documented in docs/reference): 0 success, 1 findings or a failed build,
2 invalid input or a missing tool, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__
from .console import err
from .yamlio import DataError

#: Subcommand modules under ``hoshin.commands``; each has ``register(subparsers)``.
COMMANDS: tuple[str, ...] = (
    "build",
    "serve",
    "export",
    "importing",
    "lint",
    "check",
    "diff",
    "freeze",
    "glossary",
    "init",
    "release",
)

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_INTERRUPTED = 0, 1, 2, 130


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hoshin",
        description="Build, check and compare versions of a Japanese policy document "
        "(MyST + Sphinx): web edition, PDFs, 新旧対照表, 用語集.",
        epilog="exit codes: 0 ok, 1 findings or failed build, 2 invalid input or missing "
        "tool, 130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"hoshin {__version__}")
    parser.add_argument(
        "-C",
        "--project",
        default=".",
        metavar="DIR",
        help="project folder (holds conf.py, source/, revisions/); default: .",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"{__package__}.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except DataError as exc:
        err(str(exc))
        return EXIT_INVALID
    except KeyboardInterrupt:
        err("interrupted; the last good output was left in place")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
