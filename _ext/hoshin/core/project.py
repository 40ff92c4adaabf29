"""Where things are in a hoshin project (no Sphinx import)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hoshin.core.yamlio import DataError


@dataclasses.dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: str | Path) -> Project:
        root = Path(start).resolve()
        if not (root / "conf.py").is_file():
            raise DataError(
                root / "conf.py",
                1,
                1,
                "no conf.py here: run hoshin in a project folder or pass -C DIR",
            )
        return cls(root)

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def revisions(self) -> Path:
        return self.root / "revisions"

    @property
    def glossary(self) -> Path:
        return self.root / "glossary"

    @property
    def build(self) -> Path:
        return self.root / "_build"

    @property
    def html(self) -> Path:
        return self.build / "html"

    @property
    def pdf(self) -> Path:
        return self.build / "pdf"

    @property
    def cache(self) -> Path:
        """Doctrees and render caches kept between builds (never swapped out)."""
        return self.build / ".cache"

    @property
    def scan_cache(self) -> Path:
        """Scanned source files of every version (``hoshin diff``; see ``ScanCache``)."""
        return self.cache / "hoshin-scans.pickle"
