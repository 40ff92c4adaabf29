"""Write a file so that readers see either the old or the new content, never half of it."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step.

    The new file gets ordinary permissions: those of the file it replaces, else 0666 less
    the umask (0644 usually), like any file an editor writes; never mkstemp's private 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        tmp = _create_beside(path)
    except OSError as exc:  # a read-only or full folder: name the file the reader asked for
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        if path.exists():
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        if exc.filename not in (None, str(tmp)):
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    """UTF-8 text written as given (line ends untouched: CSV keeps its CRLF)."""
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def _create_beside(path: Path) -> Path:
    """A new empty file ``.<name>.<random>`` in ``path``'s folder, created with mode 0666 & ~umask."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"cannot create a temporary file beside {path}")
