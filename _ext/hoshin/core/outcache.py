"""Files made from data, kept in the build folder's cache by the digest of their inputs.

A clean build (``-E``, a new output folder, ``make clean``, another edition) makes the same
downloads from the same data again: the 意見と対応 workbooks and documents are about a
tenth of a full HTML build, most of it importing and running the office writers. A feature
hands :func:`reuse_or_write` the digest of everything its files are made from; when the
cache holds files made from that digest they are copied into place, else they are written
and a copy is kept.

The cache holds one set of files per ``name`` (a new digest replaces the old set), so it
stays as large as one build's files. A cache that cannot be read or written is no cache:
the files are written as if it were empty. Entries are complete or absent (written aside,
then renamed). Pure: no Sphinx or docutils.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

#: Entry folders: ``<name>-<32 hex digits of the inputs' digest>``.
_KEY_LENGTH = 32
_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_-]")


def build_cache(outdir: Path, fallback: Path) -> Path:
    """The cache folder of a build writing to ``outdir``: ``.cache`` in the ``_build``
    folder the output lies in (shared by every build of a hoshin project, kept when the
    output and doctrees are cleared), else ``fallback`` (never the sources)."""
    out = outdir.resolve()
    build = next((p for p in (out, *out.parents) if p.name == "_build"), None)
    return build / ".cache" if build is not None else fallback


def reuse_or_write(
    root: Path, name: str, key: str, paths: Sequence[Path], write: Callable[[], None]
) -> bool:
    """Put ``paths`` in place: copied from ``root`` when it holds files made from inputs of
    digest ``key`` under ``name``, else made by ``write`` (and then kept there).

    ``name`` tells sets apart (one kept per name; characters other than ASCII letters,
    digits, ``_`` and ``-`` become ``_``). A set is kept by position, not file name: callers
    that write the same files under other names share it. Returns whether the files came
    from the cache.
    """
    name = _UNSAFE_RE.sub("_", name) or "_"
    entry = root / f"{name}-{key[:_KEY_LENGTH]}"
    if _copy_out(entry, paths):
        return True
    write()
    _keep(root, name, entry, paths)
    return False


def _kept(entry: Path, paths: Sequence[Path]) -> list[Path]:
    return [entry / f"{i}{path.suffix}" for i, path in enumerate(paths)]


def _copy_out(entry: Path, paths: Sequence[Path]) -> bool:
    kept = _kept(entry, paths)
    if not all(k.is_file() for k in kept):
        return False
    try:
        for path, copy in zip(paths, kept, strict=True):
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(copy, path)
    except OSError:
        return False
    return True


def _keep(root: Path, name: str, entry: Path, paths: Sequence[Path]) -> None:
    aside = root / f".{entry.name}.{os.getpid()}"
    try:
        shutil.rmtree(aside, ignore_errors=True)
        aside.mkdir(parents=True)
        for path, copy in zip(paths, _kept(aside, paths), strict=True):
            shutil.copyfile(path, copy)
        for old in root.iterdir():
            if old != entry and _entry_name(old.name) == name:
                shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(entry, ignore_errors=True)
        aside.rename(entry)
    except OSError:
        shutil.rmtree(aside, ignore_errors=True)


def _entry_name(folder: str) -> str | None:
    """The ``name`` of an entry folder (None for anything else)."""
    head, sep, key = folder.rpartition("-")
    if sep and len(key) == _KEY_LENGTH and all(c in "0123456789abcdef" for c in key):
        return head
    return None
