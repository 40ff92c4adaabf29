"""``hoshin``: build, check, diff and release a policy document.

Exit codes (documented in docs/reference): 0 success, 1 findings or a failed build,
2 invalid input or a missing tool, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from hoshin import __version__
from hoshin.cli.console import err
from hoshin.cli.exitcodes import ExitCode
from hoshin.core.yamlio import DataError

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
    "setup",
    "doctor",
)


def _command_named(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` runs, when it can be told without parsing (else None)."""
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg in ("-C", "--project") or arg in ("--lang",):
            if args:
                args.pop(0)
        elif arg.startswith(("--project=", "--lang=")) or (arg.startswith("-C") and len(arg) > 2):
            continue
        elif arg.startswith("-"):
            return None  # --help, --version or a mistake: the full parser answers
        else:
            module = "importing" if arg == "import" else arg  # "import" is a keyword
            return module if module in COMMANDS else None
    return None


def make_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``hoshin`` parser; with ``only``, just that subcommand is loaded (a faster start)."""
    from hoshin.cli.i18n import ArgumentParser

    parser = ArgumentParser(
        prog="hoshin",
        description="Build, check and compare versions of a Japanese policy document "
        "(MyST + Sphinx): web edition, PDFs, 新旧対照表, 用語集.",
        epilog="exit codes: 0 ok, 1 findings or failed build, 2 invalid input or missing "
        "tool, 130 interrupted",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"hoshin {__version__}",
        help="show program's version number and exit",
    )
    parser.add_argument(
        "--lang",
        choices=("ja", "en"),
        help="language of messages and help (default: HOSHIN_LANG, else LANG when it names "
        "a language (C, en_* or ja_*), else the project's conf.py language, else ja)",
    )
    parser.add_argument(
        "-C",
        "--project",
        default=".",
        metavar="DIR",
        help="project folder (holds conf.py, source/, revisions/); default: .",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in (only,) if only in COMMANDS else COMMANDS:
        importlib.import_module(f"{__package__}.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from hoshin.cli.i18n import choose_language, language

    argv = sys.argv[1:] if argv is None else list(argv)
    with language(choose_language(argv)):
        return _main(argv)


def _main(argv: list[str]) -> int:
    parser = make_parser(only=_command_named(argv))
    args = parser.parse_args(argv)
    try:
        if getattr(args, "pins_draft_date", False):
            return _run_with_draft_date(args)
        return int(args.func(args))
    except DataError as exc:
        err(str(exc))
        return ExitCode.INVALID
    except KeyboardInterrupt:
        err("interrupted; the last good output was left in place")
        return ExitCode.INTERRUPTED
    except OSError as exc:  # a full disk or a read-only folder outside the build's own care
        from hoshin.cli.fsfault import WRITE_FAULTS, fault_code, problem, stopped

        code = fault_code(exc)
        if code not in WRITE_FAULTS:
            raise
        err(stopped(problem(code, exc.filename or args.project, exc)))
        return ExitCode.FINDINGS


def _run_with_draft_date(args: argparse.Namespace) -> int:
    """Run a command that builds with one ``SOURCE_DATE_EPOCH`` for all it starts."""
    from pathlib import Path

    from hoshin.core.builddate import pinned_source_date
    from hoshin.core.config import draft_date_setting

    root = Path(args.project).resolve()
    if not (root / "conf.py").is_file():
        return int(args.func(args))  # the command says what is missing
    with pinned_source_date(root, draft_date_setting(root)):
        return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
