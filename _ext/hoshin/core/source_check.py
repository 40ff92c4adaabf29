"""The ``sources`` check: every page of ``source/`` is readable UTF-8 text.

Sphinx stops with a traceback on a page saved as Shift_JIS; this check names the file,
line and column first (through :func:`hoshin.core.yamlio.read_text`, as for the data files).
"""

from __future__ import annotations

from hoshin.core.project import Project
from hoshin.core.yamlio import DataError, read_text

SOURCE_SUFFIXES = (".md", ".rst")


def check_source_encoding(project: Project) -> list[DataError]:
    errors: list[DataError] = []
    if not project.source.is_dir():
        return [DataError(project.source, 1, 1, "no source/ folder")]
    for path in sorted(project.source.rglob("*")):
        if path.suffix in SOURCE_SUFFIXES and path.is_file():
            try:
                read_text(path)
            except DataError as exc:
                errors.append(exc)
    return errors
