"""File-system faults said in one line: a full disk, a read-only or forbidden folder.

A build that cannot write stops with one sentence naming the folder and what is left in
it, never a traceback (``shutil.Error`` of a failed copy holds every file it could not
copy: kilobytes of text) nor Sphinx's crash report. The same fault inside a Sphinx process
is recognised in its output by the ``[Errno N]`` Python prints.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

from hoshin.cli.i18n import N_

_ERRNO = re.compile(r"\[Errno (\d+)\]")

#: The faults of where the output goes, not of what hoshin reads.
WRITE_FAULTS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


def fault_code(exc: BaseException) -> int | None:
    """The errno of an ``OSError`` (the first file of a ``shutil.Error``), if any."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list):
        for entry in exc.args[0]:
            found = _ERRNO.search(str(entry[-1]) if isinstance(entry, tuple) else str(entry))
            if found:
                return int(found.group(1))
        return None
    if isinstance(exc, OSError) and exc.errno is not None:
        return exc.errno
    return None


def fault_in_output(output: str) -> int | None:
    """The write fault a Sphinx or TeX process died of, read from its output (else ``None``):
    Python's ``[Errno 28]``, or the C library's words a tool printed (``perror``)."""
    for found in _ERRNO.finditer(output):
        code = int(found.group(1))
        if code in WRITE_FAULTS:
            return code
    for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        if os.strerror(code) in output:
            return code
    return None


def problem(code: int | None, where: Path | str, exc: BaseException | None = None) -> str:
    """What went wrong, in words a city's clerk can act on."""
    if code in (errno.ENOSPC, errno.EDQUOT):
        return N_(
            f"no space left on the disk while writing {where} (free some space, then build again)"
        )
    if code == errno.EROFS:
        return N_(f"{where} is on a read-only file system")
    if code in (errno.EACCES, errno.EPERM):
        return N_(f"no permission to write in {where}")
    reason = os.strerror(code) if code else type(exc).__name__ if exc else "unknown error"
    return N_(f"cannot write {where} ({reason})")


def stopped(problem_text: str, state: str | None = None) -> str:
    """The one line a fault prints: ``hoshin: <problem>; <what the folder holds now>``."""
    if state is None:
        return N_(f"hoshin: {problem_text}")
    return N_(f"hoshin: {problem_text}; {state}")


def outcome(folder: Path, had_output: bool, what: str = "build") -> str:
    """What the reader finds in ``folder`` now: the last good output, or nothing."""
    if not had_output:
        return N_(f"nothing was built in {folder}")
    if what == "pdf":
        return N_(f"{folder} still holds the last good PDFs")
    if what == "office":
        return N_(f"{folder} still holds the last good office files")
    return N_(f"{folder} still holds the last good build")


def has_output(folder: Path) -> bool:
    """Whether ``folder`` holds a finished earlier output (a swap happened at least once)."""
    try:
        return folder.is_dir() and any(folder.iterdir())
    except OSError:
        return False
