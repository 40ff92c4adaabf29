"""Diagrams left as their text alternative because mermaid-cli or chromium was missing.

Each Sphinx build that could not draw some diagram for want of the tools writes a record
into its doctree folder, one per drawing format (``svg`` for the web, ``pdf`` for print: the
web and PDF builds of a version share that folder), and removes it once everything is
drawn. Installing the tools is no reason to rebuild anything, except what was built
without them: while a record exists and the tools are there, ``hoshin build`` runs (not
"nothing changed"), and a cached output whose build left a record is not reused (a frozen
version's HTML, any version's PDF); Sphinx then re-reads only the pages whose diagram is not
in the render cache. Written by :mod:`hoshin.diagrams.extension`, read by the CLI and the
version caches of :mod:`hoshin.revisions`. Nothing here imports Sphinx.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

#: The record's name; a format's record adds ``-<format>`` before the suffix.
UNDRAWN_FILE = "hoshin-undrawn-diagrams.txt"
#: How deep doctree folders sit under a project's cache (``doctrees/current``,
#: ``versions/<v>/doctrees``, ``pdf/<v>/…``).
_DEPTHS = ("*/", "*/*/", "*/*/*/", "*/*/*/*/")
_PATTERN = "hoshin-undrawn-diagrams*.txt"


def record_path(doctreedir: Path, fmt: str) -> Path:
    """The record of the builds of ``doctreedir`` that draw diagrams as ``fmt``."""
    stem, suffix = UNDRAWN_FILE.rsplit(".", 1)
    return doctreedir / f"{stem}-{fmt}.{suffix}"


def record_undrawn(doctreedir: Path, docnames: Iterable[str], reason: str, fmt: str) -> None:
    """Write (or, with no documents, remove) the record of this build's undrawn diagrams."""
    record = record_path(doctreedir, fmt)
    names = sorted(set(docnames))
    if not names:
        record.unlink(missing_ok=True)
        (doctreedir / UNDRAWN_FILE).unlink(missing_ok=True)  # one format's record of old
        return
    doctreedir.mkdir(parents=True, exist_ok=True)
    record.write_text(f"# {reason}\n" + "".join(f"{n}\n" for n in names), encoding="utf-8")


def left_undrawn(doctreedir: Path, fmt: str) -> bool:
    """The last build of ``doctreedir`` drawing ``fmt`` left diagrams undrawn."""
    return record_path(doctreedir, fmt).is_file() or (doctreedir / UNDRAWN_FILE).is_file()


def undrawn_records(cache: Path) -> list[Path]:
    """Every record under a project's cache folder (a few folder listings, no walk)."""
    found: list[Path] = []
    for depth in _DEPTHS:
        found.extend(cache.glob(f"{depth}{_PATTERN}"))
    return sorted(found)
