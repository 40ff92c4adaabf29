"""The versions of the tools that shape hoshin's output, defined once for every cache key.

The version sites, the PDFs and the build stamp are rebuilt when any of these change, so
they key on the same list (pure Python; TeX programs are asked for ``--version``).
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version

__all__ = ["PACKAGES", "tool_versions"]

#: Python distributions whose version changes a page, a PDF or an office file.
PACKAGES = ("sphinx", "myst-parser", "docutils", "furo", "sphinx-design", "sudachipy", "hoshin")


@cache
def tool_versions(programs: tuple[str, ...] = ()) -> str:
    """``dist=version`` of every :data:`PACKAGES` entry, then the first ``--version`` line of
    each of ``programs`` (``uplatex``, ``dvipdfmx`` for the PDFs), ``;``-separated."""
    parts = []
    for dist in PACKAGES:
        try:
            parts.append(f"{dist}={version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist}=-")
    for prog in programs:
        exe = shutil.which(prog)
        if exe is None:
            parts.append(f"{prog}=missing")
            continue
        proc = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
        lines = (proc.stdout or proc.stderr).splitlines()
        parts.append(f"{prog}={lines[0] if lines else '?'}")
    return ";".join(parts)
