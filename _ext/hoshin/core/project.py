"""Where things are in a hoshin project (no Sphinx import)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hoshin.core.yamlio import DataError


@dataclasses.dataclass(frozen=True)
class Project:
    root: Path
    #: ``public`` (the residents' edition, in ``_build/``) or ``review`` (the review edition,
    #: in ``_build/review/``, with its own caches); see :mod:`hoshin.core.edition`.
    edition: str = "public"

    @classmethod
    def find(cls, start: str | Path, edition: str = "public") -> Project:
        root = Path(start).resolve()
        if not (root / "conf.py").is_file():
            raise DataError(
                root / "conf.py",
                1,
                1,
                "no conf.py here: run hoshin in a project folder or pass -C DIR",
            )
        return cls(root, edition)

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
    def output(self) -> Path:
        """Where this edition's outputs go: ``_build`` or, for the review edition, ``_build/review``."""
        return self.build / "review" if self.edition == "review" else self.build

    @property
    def html(self) -> Path:
        return self.output / "html"

    @property
    def pdf(self) -> Path:
        return self.output / "pdf"

    @property
    def office(self) -> Path:
        return self.output / "office"

    @property
    def cache(self) -> Path:
        """Doctrees and render caches kept between builds (never swapped out); the review
        edition keeps its own, so building both editions never re-reads the other's."""
        shared = self.build / ".cache"
        return shared / "review" if self.edition == "review" else shared

    @property
    def scan_cache(self) -> Path:
        """Scanned source files of every version (``hoshin diff``; see ``ScanCache``)."""
        return self.build / ".cache" / "hoshin-scans.pickle"
