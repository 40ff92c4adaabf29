"""Run Sphinx's LaTeX builder on a small test project (the tests typeset its .tex)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def sphinx_latex(src: Path, *, warnings: bool = False) -> Path:
    """Build ``src`` with ``sphinx-build -b latex`` into ``src/_build`` and return that folder;
    the build must succeed and, unless ``warnings``, print no warning."""
    out = src / "_build"
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "sphinx-build"), "-q", "-b", "latex", str(src),
         str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    if not warnings:
        assert "WARNING" not in proc.stderr, proc.stderr
    return out
