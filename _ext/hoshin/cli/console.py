"""The CLI's only way to print: messages, errors and progress lines.

Library code never prints (ruff T20); it raises or returns, and the CLI reports here.
Progress shows a bar on a terminal and plain lines elsewhere (CI logs stay readable).
Everything printed here is said in the reader's language (:mod:`hoshin.cli.i18n`).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from hoshin.cli.i18n import translate
from hoshin.core.yamlio import FORBIDDEN_CHARS


def printable(text: str) -> str:
    """``text`` with every control and bidi character shown, not obeyed: ``\\x1b``, ``\\x00``,
    ``<U+202E>``. Data never reaches the terminal as an escape sequence (a retitled window,
    a cleared screen, a line that reads backwards); tab and line feed stay as they are."""
    return FORBIDDEN_CHARS.sub(_shown, text)


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"<U+{code:04X}>"


def use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def out(message: str = "") -> None:
    sys.stdout.write(printable(translate(message)) + "\n")


def err(message: str) -> None:
    sys.stderr.write(printable(translate(message)) + "\n")


@contextmanager
def stage(name: str, total: int | None = None) -> Iterator[Stage]:
    """One line per stage with counts and elapsed time: ``[html] 3/3 versions (2.1 s)``."""
    s = Stage(name, total)
    try:
        yield s
    except BaseException:
        s.stopped = s.stopped or "stopped"
        raise
    finally:
        s.finish()


class Stage:
    def __init__(self, name: str, total: int | None) -> None:
        self.name = name
        self.total = total
        self.done = 0
        self.start = time.perf_counter()
        self.tty = sys.stderr.isatty() and not os.environ.get("CI")
        self.note = ""
        #: Set when the stage ends early (the step it stopped at): never reported as done.
        self.stopped = ""

    def stop(self, at: str) -> None:
        """End the stage early at step ``at``; its last line says so instead of "done"."""
        self.stopped = f"stopped at {at}"

    def advance(self, note: str = "") -> None:
        self.done += 1
        self.note = note
        if self.tty and self.total:
            width = 20
            filled = int(width * self.done / self.total)
            sys.stderr.write(
                f"\r[{self.name}] [{'#' * filled}{'.' * (width - filled)}] "
                f"{self.done}/{self.total} {printable(note)[:40]:<40}"
            )
            sys.stderr.flush()
        elif not self.tty:
            count = f" {self.done}/{self.total}" if self.total else ""
            sys.stderr.write(f"[{self.name}]{count} {printable(note)}\n")

    def finish(self) -> None:
        elapsed = time.perf_counter() - self.start
        if self.tty and self.total:
            sys.stderr.write("\r" + " " * 80 + "\r")
        count = f" {self.done}/{self.total}" if self.total else ""
        status = translate(self.stopped or "done")
        sys.stderr.write(f"[{self.name}]{count} {status} {translate(f'({elapsed:.1f} s)')}\n")
