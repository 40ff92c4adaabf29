"""The exit codes of every ``hoshin`` command, defined once (docs/messages.md lists them)."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    """Done, nothing to report."""
    FINDINGS = 1
    """Done, with findings to fix (an unexplained change, a lint error) or a failed build."""
    INVALID = 2
    """Not done: invalid input data, an edited frozen version, or a missing tool."""
    INTERRUPTED = 130
    """Stopped by Ctrl-C (128 + SIGINT, as shells report it)."""
