"""Diagrams left as their text alternative because mermaid-cli or chromium was missing.

Each Sphinx build that could not draw some diagram for want of the tools writes
:data:`UNDRAWN_FILE` into its doctree folder (and removes it once everything is drawn).
``hoshin build`` looks for these records: installing the tools is no reason to rebuild
anything, except that the build must run (not stop at "nothing changed") while a record
exists and the tools are there; Sphinx then re-reads only the pages whose diagram is not in
the render cache (``env-get-outdated`` of :mod:`hoshin.diagrams.extension`). Nothing here
imports Sphinx.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

UNDRAWN_FILE = "hoshin-undrawn-diagrams.txt"
#: How deep doctree folders sit under a project's cache (``doctrees/current``,
#: ``versions/<v>/doctrees``, ``pdf/<v>/…``).
_DEPTHS = ("*/", "*/*/", "*/*/*/", "*/*/*/*/")


def record_undrawn(doctreedir: Path, docnames: Iterable[str], reason: str) -> None:
    """Write (or, with no documents, remove) the record of this build's undrawn diagrams."""
    record = doctreedir / UNDRAWN_FILE
    names = sorted(set(docnames))
    if not names:
        record.unlink(missing_ok=True)
        return
    doctreedir.mkdir(parents=True, exist_ok=True)
    record.write_text(f"# {reason}\n" + "".join(f"{n}\n" for n in names), encoding="utf-8")


def undrawn_records(cache: Path) -> list[Path]:
    """Every record under a project's cache folder (a few folder listings, no walk)."""
    found: list[Path] = []
    for depth in _DEPTHS:
        found.extend(cache.glob(f"{depth}{UNDRAWN_FILE}"))
    return sorted(found)
