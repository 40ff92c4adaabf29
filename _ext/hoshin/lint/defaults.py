"""The lint configuration a new project starts from (shipped in the package, not a checkout).

``hoshin init`` writes these into the project as ``.textlintrc.json`` and ``prh.yml``: the
公用文 rules with no allowance of any particular document. A project then keeps its own.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
#: (file in the package, name in the project)
STARTER_FILES: tuple[tuple[Path, str], ...] = (
    (DATA_DIR / "textlintrc.json", ".textlintrc.json"),
    (DATA_DIR / "prh.yml", "prh.yml"),
)
